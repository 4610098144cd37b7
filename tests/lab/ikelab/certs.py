"""A throw-away CA and two RSA-4096 gateway certificates, made with openssl.

RSA-4096 makes the IKE_AUTH messages (certificate + 512-byte signature)
larger than a 1500-byte MTU, which is what the fragmentation scenarios need.
The keys live only in the run's temporary folder.
"""
import os
import subprocess


def _openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make(folder):
    os.makedirs(folder, exist_ok=True)
    _openssl("req", "-x509", "-newkey", "rsa:3072", "-nodes", "-sha256",
             "-days", "3650", "-keyout", "ca.key", "-out", "ca.pem",
             "-subj", "/C=ZZ/O=ikelens lab/CN=ikelens lab root CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    for name in ("west", "east"):
        fqdn = name + ".example.com"
        _openssl("req", "-newkey", "rsa:4096", "-nodes", "-sha256",
                 "-keyout", name + ".key", "-out", name + ".csr",
                 "-subj", "/C=ZZ/O=ikelens lab/OU=VPN gateways/CN=" + fqdn,
                 cwd=folder)
        ext = os.path.join(folder, name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=DNS:%s\n"
                    "keyUsage=critical,digitalSignature\n"
                    "extendedKeyUsage=serverAuth,1.3.6.1.5.5.8.2.2\n" % fqdn)
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem",
                 "-CAkey", "ca.key", "-CAcreateserial", "-days", "3650",
                 "-sha256", "-extfile", name + ".ext", "-out", name + ".pem",
                 cwd=folder)
    return folder
