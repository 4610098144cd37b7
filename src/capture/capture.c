/* capture.c - being written */
