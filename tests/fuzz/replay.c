/* replay: a main() for the fuzz targets without libFuzzer, so any compiler
 * (gcc in `make fuzz-replay`, with or without ASan and UBSan) can run the
 * regression corpus. Each argument is a file, or a directory whose regular
 * files are fed in name order, each to one LLVMFuzzerTestOneInput call.
 * Exits 0 when every input ran (a crash aborts the process), 2 on IO errors. */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Reads the whole file into a fresh exact-size allocation, so ASan catches a
 * read one past the end as libFuzzer's own copy would. */
static int run_file(const char *path, size_t *count)
{
    int err = -1;
    uint8_t *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
        goto done;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
        fprintf(stderr, "replay: cannot stat '%s'\n", path);
        goto done;
    }
    size_t size = (size_t)st.st_size;
    data = malloc(size ? size : 1);
    if (!data || (size && fread(data, 1, size, f) != size)) {
        fprintf(stderr, "replay: cannot read '%s'\n", path);
        goto done;
    }
    LLVMFuzzerTestOneInput(data, size);
    (*count)++;
    err = 0;
done:
    free(data);
    if (f)
        fclose(f);
    return err;
}

static int is_visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int run_dir(const char *dir, size_t *count)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, is_visible, alphasort);
    if (n < 0) {
        /* A target without regressions yet has no directory. */
        if (errno == ENOENT)
            return 0;
        fprintf(stderr, "replay: cannot list '%s': %s\n", dir, strerror(errno));
        return -1;
    }
    int err = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;
        char *path = malloc(len);
        struct stat st;
        if (!path) {
            err = -1;
        } else {
            snprintf(path, len, "%s/%s", dir, names[i]->d_name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && run_file(path, count) != 0)
                err = -1;
        }
        free(path);
        free(names[i]);
    }
    free(names);
    return err;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int err = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            err |= run_dir(argv[i], &count) != 0;
        else if (stat(argv[i], &st) == 0)
            err |= run_file(argv[i], &count) != 0;
        else if (errno != ENOENT)
            err |= 1;
    }
    printf("%s: %zu inputs\n", argc > 0 ? argv[0] : "replay", count);
    return err ? 2 : 0;
}
