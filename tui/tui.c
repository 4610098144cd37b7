/* tui.c - the ncurses screen (later). */
#include "config.h"
int tui_available(void);
int
tui_available(void)
{
	return HAVE_TUI;
}
