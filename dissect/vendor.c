/* vendor.c - being written */
