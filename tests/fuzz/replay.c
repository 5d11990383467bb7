/* replay: run a fuzz target over files, without libFuzzer. `make check`
 * builds every target with this main and runs it over its seed corpus and
 * its saved crashes (tests/fuzz/corpus/<target>/), under the same sanitizers
 * as the rest of the tests, so a crash the fuzzer once found stays fixed.
 *
 * Usage: replay_<target> [FILE|DIR]...  (default: the compiled-in corpus) */
#include "config.h"
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
        FILE *f = fopen(path, "rb");
        uint8_t *buf = NULL;
        size_t len = 0, cap = 0;

        if (!f) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                return -1;
        }
        for (;;) {
                if (len == cap) {
                        uint8_t *nbuf;

                        cap = cap ? 2 * cap : 4096;
                        nbuf = realloc(buf, cap);
                        if (!nbuf) {
                                free(buf);
                                fclose(f);
                                return -1;
                        }
                        buf = nbuf;
                }
                size_t n = fread(buf + len, 1, cap - len, f);

                if (n == 0)
                        break;
                len += n;
        }
        fclose(f);
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        return 0;
}

static int replay_path(const char *path, unsigned *count)
{
        struct stat st;
        struct dirent **names;
        int n, r = 0;

        if (stat(path, &st) < 0) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
                (*count)++;
                return replay_file(path);
        }
        n = scandir(path, &names, NULL, alphasort);
        if (n < 0) {
                fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
                return -1;
        }
        for (int i = 0; i < n; i++) {
                if (names[i]->d_name[0] != '.' && r == 0) {
                        char sub[4096];

                        snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
                        r = replay_path(sub, count);
                }
                free(names[i]);
        }
        free(names);
        return r;
}

int main(int argc, char **argv)
{
        unsigned count = 0;
        int r = 0;

        if (argc < 2)
                r = replay_path(FUZZ_CORPUS, &count);
        for (int i = 1; i < argc && r == 0; i++)
                r = replay_path(argv[i], &count);
        if (r == 0 && count == 0) {
                fprintf(stderr, "replay: no inputs\n");
                return 1;
        }
        printf("replay: %u inputs, no crash\n", count);
        return r == 0 ? 0 : 1;
}
