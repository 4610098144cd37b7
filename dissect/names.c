/* names.c - being written */
