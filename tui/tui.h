/* tui.h - the ncurses screen: tunnels, the selected tunnel's ladder, the
 * finding with its fix.  It reads the tracker's model; it never parses. */
#ifndef IKELENS_TUI_H
#define IKELENS_TUI_H

struct cli;
struct kx_store;

/* Runs the screen on the inputs or live interface of c; returns the exit status. */
int tui_run(const struct cli *c, struct kx_store *keys);

#endif
