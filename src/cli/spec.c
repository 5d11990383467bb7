/* cli/spec: `berth spec [--rootless] [-b DIR]` writes a starter config.json,
 * the same as `runc spec` but for ociVersion and hostname (spec/default.c). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "spec/default.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json.h"

static const char spec_usage[] =
        "Usage: berth spec [--rootless] [-b|--bundle DIR]\n"
        "\n"
        "Create a new specification file, config.json, in the bundle directory.\n"
        "\n"
        "The file is a starter: edit it for your container. Its process runs \"sh\",\n"
        "which works for a busybox or Debian root filesystem (in DIR/rootfs) but not\n"
        "for an image without a shell. The content is the same as `runc spec`\n"
        "writes, except that ociVersion is \"1.2.0\" and the hostname is \"berth\".\n"
        "An existing config.json is never overwritten.\n"
        "\n"
        "With --rootless the configuration suits a container started by a user\n"
        "without root: a user namespace maps root in the container to the caller's\n"
        "user and group, the host's network namespace is kept, /sys is bind-mounted\n"
        "and there are no cgroup resources. It is not needed when berth runs as\n"
        "root inside a user namespace an unprivileged user created.\n"
        "\n"
        "Options:\n"
        "  -b, --bundle DIR  the bundle directory to write config.json into\n"
        "                    (default: the current directory)\n"
        "      --rootless    generate a configuration for a rootless container\n"
        "  -h, --help        show this help\n";

enum { OPT_ROOTLESS = 256 };

static const struct option spec_opts[] = {
        { "bundle", required_argument, NULL, 'b' },
        { "rootless", no_argument, NULL, OPT_ROOTLESS },
        { "help", no_argument, NULL, 'h' },
        {}
};

static int spec_run(struct cli_global *g, int argc, char **argv, struct berr *e);

const struct cli_command cli_cmd_spec = {
        .name = "spec",
        .summary = "create a new specification file (config.json)",
        .usage = spec_usage,
        .run = spec_run,
};

/* The message names the file as the user would: runc's words, plus the
 * bundle directory when one was given. */
static int spec_check_absent(int dirfd, const char *bundle, struct berr *e)
{
        struct stat st;

        /* No AT_SYMLINK_FOLLOW: a dangling config.json symlink counts as
         * existing too, so we never write through it. */
        if (fstatat(dirfd, "config.json", &st, AT_SYMLINK_NOFOLLOW) == 0)
                return berr_set(e, -EEXIST, "File %s%sconfig.json exists. Remove it first",
                                bundle ? bundle : "", bundle ? "/" : "");
        if (errno != ENOENT)
                return berr_sys(e, -errno, "%s%sconfig.json", bundle ? bundle : "", bundle ? "/" : "");
        return 0;
}

static int spec_write(int dirfd, bool rootless, struct berr *e)
{
        _cleanup_jw_ struct jw *w = jw_new(JW_PRETTY_TAB);
        const char *text;
        size_t len;
        int r;

        if (!w)
                return berr_sys(e, -ENOMEM, "spec");
        /* runc maps the effective ids (os.Geteuid); they are the real ones
         * unless berth runs setuid, which it never should. */
        r = spec_default_write(w, rootless, geteuid(), getegid());
        if (r < 0)
                return berr_sys(e, r, "spec: generate config.json");
        text = jw_text(w, &len);
        /* yajl ends a document with a newline; runc's file has none. */
        if (len > 0 && text[len - 1] == '\n')
                len--;
        /* Another process could create config.json between the check and
         * the rename; the rename then replaces it whole, never half. */
        r = fs_write_atomic_at(dirfd, "config.json", text, len, 0666);
        if (r < 0)
                return berr_sys(e, r, "spec: write config.json");
        return 0;
}

/* getopt's error for the element it was reading (argv[at]): a long option
 * names itself, a short one may sit inside a cluster such as "-xb". getopt
 * leaves optopt 0 for an unknown long option, and the option's value for a
 * known one given a value it does not take ("--rootless=1"). */
static int spec_bad_option(int c, const char *arg, struct berr *e)
{
        bool is_long = strncmp(arg, "--", 2) == 0;
        const char *what = c == ':' ? "needs a value" :
                           is_long && optopt ? "takes no value" : "is not known";

        if (is_long)
                return cli_usage_error(&cli_cmd_spec, e, "option %.*s %s",
                                       (int)strcspn(arg, "="), arg, what);
        return cli_usage_error(&cli_cmd_spec, e, "option -%c %s", optopt, what);
}

static int spec_run(struct cli_global *g, int argc, char **argv, struct berr *e)
{
        _cleanup_close_ int dirfd = -EBADF;
        const char *bundle = NULL;
        bool rootless = false;
        int r;

        opterr = 0;
        for (;;) {
                int at = optind > 0 ? optind : 1;
                int c = getopt_long(argc, argv, "+:b:h", spec_opts, NULL);

                if (c == -1)
                        break;
                switch (c) {
                case 'b': bundle = optarg; break;
                case OPT_ROOTLESS: rootless = true; break;
                case 'h': return cli_help(&cli_cmd_spec);
                default: return spec_bad_option(c, argv[at], e);
                }
        }
        r = cli_require_args(&cli_cmd_spec, argc, optind, 0, e);
        if (r < 0)
                return r;
        dirfd = open(bundle ? bundle : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
                return berr_sys(e, -errno, "open bundle %s", bundle ? bundle : ".");
        r = spec_check_absent(dirfd, bundle, e);
        if (r < 0)
                return r;
        return spec_write(dirfd, rootless, e);
}
