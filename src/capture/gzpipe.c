/*
 * gzpipe.c - read gzip-compressed captures through "gzip -dc".
 *
 * libpcap reads plain pcap/pcapng only, from a FILE.  Rather than link zlib
 * and fake a FILE, the compressed input goes to a gzip process and libpcap
 * reads its output from a pipe.  gzip is started without a shell (no quoting
 * of file names).  When the input is a regular file, gzip reads it directly
 * from where the capture starts; when it is a pipe (stdin), the bytes already
 * buffered by the peek at the magic number must reach gzip too, so a small
 * feeder process copies the stream into gzip.
 */
#include "src/capture/cap_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void
cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFD);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
}

static int
pipe_cloexec(int p[2])
{
	if (pipe(p) != 0)
		return -1;
	cloexec(p[0]);
	cloexec(p[1]);
	return 0;
}

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The feeder: copy what is left of in (stdio buffer included) into fd. */
static void
feed(FILE *in, int fd)
{
	static char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
		const char *p = buf;
		while (n > 0) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(1);
			p += w;
			n -= (size_t)w;
		}
	}
	_exit(ferror(in) ? 1 : 0);
}

FILE *
gz_open(FILE *in, const char *name, struct gz *g, char *err, size_t errlen)
{
	memset(g, 0, sizeof *g);
	g->errfd = -1;
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, inp[2] = {-1, -1};
	int in_fd = fileno(in);

	/* A seekable input is handed to gzip as it is, from the capture's start. */
	off_t pos = ftello(in);
	bool direct = pos >= 0 && lseek(in_fd, pos, SEEK_SET) == pos;

	if (pipe_cloexec(out) != 0 || pipe_cloexec(errp) != 0 ||
	    (!direct && pipe_cloexec(inp) != 0)) {
		snprintf(err, errlen, "%s: cannot decompress: pipe: %s", name, strerror(errno));
		goto fail;
	}

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, direct ? in_fd : inp[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	static char arg0[] = "gzip", arg1[] = "-dc";
	char *argv[] = {arg0, arg1, NULL};
	int rc = posix_spawnp(&g->pid, "gzip", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		g->pid = 0;
		snprintf(err, errlen,
			 "%s: is gzip-compressed and gzip could not be run (%s); "
			 "decompress it first with gunzip",
			 name, strerror(rc));
		goto fail;
	}
	close_fd(&out[1]);
	close_fd(&errp[1]);
	close_fd(&inp[0]);

	if (!direct) {
		pid_t f = fork();
		if (f == 0) {
			close(out[0]);
			close(errp[0]);
			feed(in, inp[1]);
		}
		if (f < 0) {
			snprintf(err, errlen, "%s: cannot decompress: fork: %s", name,
				 strerror(errno));
			goto fail;
		}
		g->feeder = f;
		close_fd(&inp[1]);
	}

	FILE *fp = fdopen(out[0], "rb");
	if (fp == NULL) {
		snprintf(err, errlen, "%s: cannot decompress: %s", name, strerror(errno));
		goto fail;
	}
	g->errfd = errp[0];
	return fp;

fail:
	close_fd(&out[0]);
	close_fd(&out[1]);
	close_fd(&errp[0]);
	close_fd(&errp[1]);
	close_fd(&inp[0]);
	close_fd(&inp[1]);
	gz_close(g);
	return NULL;
}

/* gzip's first line of complaint, without its trailing newline. */
static void
read_complaint(int fd, char *buf, size_t len)
{
	buf[0] = '\0';
	if (fd < 0 || len < 2)
		return;
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	ssize_t n = read(fd, buf, len - 1);
	if (n <= 0)
		n = 0;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
}

int
gz_finish(struct gz *g, const char *name, char *err, size_t errlen)
{
	if (g->pid <= 0 || g->finished)
		return 0;
	/* Called once the decompressed stream reached its end (gzip closed its
	 * output, so it is exiting) or libpcap complained about it.  Do not
	 * block if gzip is still running: libpcap's complaint then stands. */
	int status = 0;
	pid_t r;
	for (int tries = 0; tries < 50; tries++) {
		r = waitpid(g->pid, &status, WNOHANG);
		if (r != 0)
			break;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (r == 0)
		return 0;
	g->finished = true;
	g->pid = 0;
	if (r < 0 || (WIFEXITED(status) && WEXITSTATUS(status) == 0))
		return 0;
	char msg[200];
	read_complaint(g->errfd, msg, sizeof msg);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		snprintf(err, errlen, "%s: is gzip-compressed and gzip could not be run", name);
	else if (msg[0])
		snprintf(err, errlen, "%s: decompression failed: %s", name, msg);
	else if (WIFEXITED(status))
		snprintf(err, errlen, "%s: decompression failed: gzip exited with status %d", name,
			 WEXITSTATUS(status));
	else
		snprintf(err, errlen, "%s: decompression failed: gzip killed by signal %d", name,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return -1;
}

static void
reap(pid_t *pid)
{
	if (*pid <= 0)
		return;
	int status;
	if (waitpid(*pid, &status, WNOHANG) == 0) {
		/* still running (the capture was closed early): our own child */
		kill(*pid, SIGTERM);
		while (waitpid(*pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	*pid = 0;
}

void
gz_close(struct gz *g)
{
	reap(&g->pid);
	reap(&g->feeder);
	close_fd(&g->errfd);
}
