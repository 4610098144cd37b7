"""The ikelens lab: real IKE daemons in network namespaces, captured and labelled.

Modules:
  scenario   -- reads scenarios/<name>.conf
  topology   -- network namespaces, veth links, NAT/DROP rules
  daemon     -- strongswan.conf / swanctl.conf generation, charon processes
  charonlog  -- parses charon file logs (messages, events, hex dumps, keys)
  keyfiles   -- Wireshark key tables and keys.json from parsed logs
  espsynth   -- ESP packets built from the logged SPIs and keys (scapy)
  pcapfile   -- classic pcap reading and writing, byte for byte
  label      -- derives expected.json from the logs and the capture
  schema     -- the expected.json fields and allowed values (used by check)
  scan       -- ike-scan against the responder: the scanner captures
"""
