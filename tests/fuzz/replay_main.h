/*
 * replay_main.h - a main() for fuzz targets built without libFuzzer: runs
 * LLVMFuzzerTestOneInput on each file named on the command line, or on each
 * file inside a named directory (a seed corpus, a crash to reproduce), so the
 * targets also run under plain ASan/UBSan with gcc in the normal test suite.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 1 << 16, n = 0, r;
	unsigned char *b = malloc(cap);
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			unsigned char *nb = realloc(b, cap * 2);
			if (!nb)
				break;
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (b)
		LLVMFuzzerTestOneInput(b, n);
	free(b);
	return 0;
}

int
main(int argc, char **argv)
{
	int bad = 0;
	unsigned runs = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			perror(argv[i]);
			bad = 1;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad |= replay_file(argv[i]);
			runs++;
			continue;
		}
		DIR *d = opendir(argv[i]);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char p[4096];
			snprintf(p, sizeof p, "%s/%s", argv[i], e->d_name);
			bad |= replay_file(p);
			runs++;
		}
		if (d)
			closedir(d);
	}
	printf("%u inputs replayed\n", runs);
	return bad;
}
