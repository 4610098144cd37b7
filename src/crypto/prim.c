/* prim.c - being written */
