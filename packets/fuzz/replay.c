/*
 * replay.c - run a libFuzzer harness without libFuzzer: feed it every file
 * of its seed corpus (FUZZ_CORPUS: corpus/<family>/ beside the harness), or
 * the files named on the command line.  Built once per harness as
 * <harness>_replay, it is a
 * plain Kyua test program, so the corpus is replayed by `make check` and,
 * under ASan+UBSan, by `make check-asan`.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define REPLAY_MAX_INPUT	(1 << 20)

static int
replay_file(const char *path, uint8_t *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

static int
replay_dir(const char *dir, uint8_t *buf)
{
	char path[8192];
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL) {
		perror(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path))
			continue;
		if (replay_file(path, buf) < 0) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

int
main(int argc, char **argv)
{
	char dir[4096];
	uint8_t *buf = malloc(REPLAY_MAX_INPUT);
	int i, n;

	if (buf == NULL)
		return 2;
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (replay_file(argv[i], buf) < 0)
				return 1;
		free(buf);
		return 0;
	}
	/* FUZZ_CORPUS: the harness's corpus/<family>, from the source root. */
	snprintf(dir, sizeof(dir), "%s/%s", MIP6_SRCDIR, FUZZ_CORPUS);
	n = replay_dir(dir, buf);
	free(buf);
	if (n <= 0) {
		fprintf(stderr, "%s: no seed inputs in %s\n", FUZZ_NAME, dir);
		return 1;
	}
	printf("%s: replayed %d inputs\n", FUZZ_NAME, n);
	return 0;
}
