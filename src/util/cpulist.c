/* cpulist: parse "0-3,8,10-11" into a cpu_set_t (see cpulist.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util/cpulist.h"

static const char *cpulist_number(const char *p, unsigned long *ret)
{
        char *end;

        if (!isdigit((unsigned char)*p))
                return NULL;
        errno = 0;
        *ret = strtoul(p, &end, 10);
        if (errno || *ret >= CPU_SETSIZE)
                return NULL;
        return end;
}

int cpulist_parse(const char *list, cpu_set_t *ret)
{
        const char *p = list;

        CPU_ZERO(ret);
        while (isspace((unsigned char)*p))
                p++;
        for (;;) {
                unsigned long lo, hi;

                p = cpulist_number(p, &lo);
                if (!p)
                        return -EINVAL;
                hi = lo;
                if (*p == '-') {
                        p = cpulist_number(p + 1, &hi);
                        if (!p || hi < lo)
                                return -EINVAL;
                }
                for (unsigned long cpu = lo; cpu <= hi; cpu++)
                        CPU_SET(cpu, ret);
                if (*p != ',')
                        break;
                p++;
        }
        while (isspace((unsigned char)*p))
                p++;
        return *p ? -EINVAL : 0;
}
