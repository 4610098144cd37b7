/* util.c - placeholder until the first program module lands. */
#include "src/util.h"
