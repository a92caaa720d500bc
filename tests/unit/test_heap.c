/* Unit tests for heap: when charter starts itself again with malloc's huge
 * pages asked for, and how the run started so puts the environment back
 * as the user had it. */
#include "unit.h"

#include "heap.h"

#include <stdlib.h>

Test(heap, plan)
{
    static const struct {
        const char *tunables, *preload, *restore;
        int again;
        const char *value;
    } cases[] = {
        {NULL, NULL, NULL, 1, "glibc.malloc.hugetlb=1"},
        {"", NULL, NULL, 1, "glibc.malloc.hugetlb=1"},
        {"glibc.malloc.arena_max=2", NULL, NULL, 1,
         "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"},
        /* The user named it: kept, or refused. */
        {"glibc.malloc.hugetlb=0", NULL, NULL, 0, NULL},
        {"glibc.malloc.hugetlb=2:glibc.malloc.arena_max=2", NULL, NULL, 0, NULL},
        /* Started so already: never a second time. */
        {NULL, NULL, "", 0, NULL},
        {"x=1", NULL, "=x=1", 0, NULL},
        /* Under valgrind, which a new start would leave. */
        {NULL, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so", NULL, 0, NULL},
        {NULL, "/usr/lib/libfaketime.so", NULL, 1, "glibc.malloc.hugetlb=1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *value = (char *)"unset";
        int again = heap_plan(&value, cases[i].tunables, cases[i].preload, cases[i].restore);
        cr_expect_eq(again, cases[i].again, "case %zu", i);
        if (cases[i].value)
            cr_expect_str_eq(value, cases[i].value, "case %zu", i);
        else
            cr_expect_null(value, "case %zu", i);
        free(value);
    }
}

/* The top pad and the mmap threshold are set unless the user named
 * either. */
Test(heap, pad_plan)
{
    cr_expect_eq(heap_pad_plan(NULL), 1);
    cr_expect_eq(heap_pad_plan(""), 1);
    cr_expect_eq(heap_pad_plan("glibc.malloc.hugetlb=1"), 1);
    cr_expect_eq(heap_pad_plan("glibc.malloc.top_pad=0"), 0);
    cr_expect_eq(heap_pad_plan("glibc.malloc.hugetlb=1:glibc.malloc.top_pad=131072"), 0);
    cr_expect_eq(heap_pad_plan("glibc.malloc.mmap_threshold=131072"), 0);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* The run started by heap_tune: the user's GLIBC_TUNABLES back, the marker
 * gone, and it knows it was started so. It does not start again. */
Test(heap, restores_the_users_tunables)
{
    char *argv[] = {(char *)"charter", (char *)"build", NULL};
    setenv("CHARTER_HEAP_RESTORE", "=glibc.malloc.arena_max=2", 1);
    setenv("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", 1);
    cr_expect_eq(heap_tuned(), 0);
    heap_init(argv);
    cr_expect_eq(heap_tuned(), 1);
    heap_tune(); /* started so already: not again */
    cr_expect_eq(heap_tuned(), 1);
    cr_expect_str_eq(getenv("GLIBC_TUNABLES"), "glibc.malloc.arena_max=2");
    cr_expect_null(getenv("CHARTER_HEAP_RESTORE"));
}

Test(heap, removes_tunables_the_user_had_not)
{
    char *argv[] = {(char *)"charter", (char *)"build", NULL};
    setenv("CHARTER_HEAP_RESTORE", "", 1);
    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
    heap_init(argv);
    cr_expect_eq(heap_tuned(), 1);
    cr_expect_null(getenv("GLIBC_TUNABLES"));
    cr_expect_null(getenv("CHARTER_HEAP_RESTORE"));
}

/* Where the user refused the tunable, nothing is done: no new start. */
Test(heap, refused_by_the_user)
{
    char *argv[] = {(char *)"/nonexistent/charter", (char *)"build", NULL};
    unsetenv("CHARTER_HEAP_RESTORE");
    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", 1);
    heap_init(argv);
    heap_tune();
    cr_expect_eq(heap_tuned(), 0);
    cr_expect_str_eq(getenv("GLIBC_TUNABLES"), "glibc.malloc.hugetlb=0");
}
#endif
