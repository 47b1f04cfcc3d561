/*
 * correctomatic confine: runs a grader, and the submissions it grades, each in a confinement of its own (issue #13).
 * Modelled on the kernel's samples/landlock/sandboxer.c and IOI's isolate: set uid, rlimits, no_new_privs and
 * Landlock, then exec; every refusal names its reason on stderr; it fails closed. images/README.md, "Confinement".
 *
 *   confine init [--private NAME]... -- GRADER...
 *                               PID 1 of the container (started as root with only CAP_SETUID and CAP_SETGID):
 *                               runs GRADER as uid 1000 with no capability and no_new_privs, then serves requests
 *                               on a unix socketpair whose grader end is fd $CORRECTOMATIC_CONFINE_FD. Each
 *                               --private NAME leaves the grader's environment and is kept in a memfd, fd
 *                               $CORRECTOMATIC_PRIVATE_FD, that only the grader holds (gVisor lets any uid read
 *                               /proc/PID/environ, not another uid's fds).
 *   confine param NAME          run by the grader: prints the private param NAME (no newline added); exit 1 when
 *                               it is not there
 *   confine run [OPTIONS] -- PROGRAM...
 *                               asked by the grader: runs PROGRAM as uid 1001 with the client's stdin, stdout and
 *                               stderr, waits, and exits with its status (dies of its signal; 125 when refused).
 *     --workdir DIR             its working and only writable directory (default: the client's cwd)
 *     --env K=V                 its environment (default PATH, HOME=DIR, LANG only; nothing of the grader's)
 *     --read PATH               one more path it may read (system directories and DIR are always readable)
 *     --limit fsize|nofile|nproc=N   rlimits (defaults 64 MiB, 256, 64; core dumps are always 0)
 *     --allow-degraded          run even when the confinement is weaker than this runtime should give (see README)
 *   confine check [--allow-degraded]
 *                               asks the spawner whether it would run a submission: prints the confinement this
 *                               container gives (one line) and exits 0, or prints why not on stderr and exits 125
 *
 * A request is one SOCK_SEQPACKET message: NUL-terminated items ('W' workdir, 'E' env, 'R' read, 'L' limit, 'D'
 * degraded, 'A' argv) with four fds: the reply socket, stdin, stdout, stderr. A supervisor (root, forked by PID 1)
 * runs the request; when the client goes away (the grader timed it out) it kills every process of uid 1001.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define GRADER_UID 1000
#define SUBMISSION_UID 1001
#define FD_ENV "CORRECTOMATIC_CONFINE_FD"
#define PRIVATE_FD_ENV "CORRECTOMATIC_PRIVATE_FD"
#define MAX_PRIVATE 64
#define MAX_REQUEST 65536
#define MAX_ITEMS 1024
#define REFUSED 125

/* The Landlock ABI (include/uapi/linux/landlock.h, Linux 6.12), spelled out: Debian 12's headers stop at ABI 3. */
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)    /* ABI 2 */
#define LL_FS_TRUNCATE (1ULL << 14) /* ABI 3 */
#define LL_FS_IOCTL_DEV (1ULL << 15) /* ABI 5 */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LL_SCOPE_SIGNAL (1ULL << 1)               /* ABI 6 */

static const char *role = "confine";

static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", role);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* --- what this container can give ---------------------------------------------------------------------------- */

static int landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	return abi < 0 ? 0 : (int)abi;
}

/* gVisor's kernel says so on its command line ("BOOT_IMAGE=/vmlinuz-4.4.0-gvisor"); no Linux kernel does. */
static int under_gvisor(void)
{
	char buf[512] = { 0 };
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	return n > 0 && strstr(buf, "gvisor") != NULL;
}

struct level {
	int uid_separation; /* the spawner is root with CAP_SETUID/SETGID: the submission gets uid 1001 */
	int abi;            /* Landlock ABI, 0 when absent */
	int gvisor;
};

/* NULL when the confinement is what this runtime should give, else why it is degraded (images/README.md). */
static const char *degraded_reason(const struct level *l)
{
	if (l->gvisor)
		return l->uid_separation ? NULL
			: "under gVisor the submission's own uid is the confinement, and the container was not started as "
			  "root with CAP_SETUID and CAP_SETGID (label correctomatic.sandbox=spawner)";
	if (l->abi == 0)
		return "the kernel offers no Landlock (Linux >= 6.12 with CONFIG_SECURITY_LANDLOCK and lsm=landlock needed)";
	if (l->abi < 6)
		return "the kernel's Landlock has no signal and abstract-socket scoping (ABI >= 6, Linux >= 6.12, needed)";
	return NULL;
}

static void describe(const struct level *l, char *out, size_t size)
{
	const char *why = degraded_reason(l);
	snprintf(out, size, "runtime=%s uid_separation=%s landlock_abi=%d confinement=%s%s%s", l->gvisor ? "gvisor" : "linux",
		 l->uid_separation ? "yes" : "no", l->abi, why ? "degraded" : "full", why ? ": " : "", why ? why : "");
}

/* --- the submission's process -------------------------------------------------------------------------------- */

struct request {
	char *workdir;
	char *env[MAX_ITEMS];
	char *reads[64];
	char *argv[MAX_ITEMS];
	int nenv, nreads, nargv, degraded, check;
	rlim_t fsize, nofile, nproc;
};

static int add_path_rule(int ruleset, const char *path, uint64_t access)
{
	struct ll_path_beneath_attr rule = { 0 };
	struct stat st;
	rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return errno == ENOENT ? 0 : -1; /* a system directory this image lacks (e.g. /lib64) */
	if (fstat(rule.parent_fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE |
			  LL_FS_TRUNCATE | LL_FS_IOCTL_DEV;
	rule.allowed_access = access;
	int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
	int saved = errno;
	close(rule.parent_fd);
	errno = saved;
	return rc;
}

/* Reads the system directories, its work dir and --read paths; writes only its work dir; signals and abstract unix
 * sockets scoped to its own domain (ABI 6). Nothing under /grader, no /proc but its own. */
static const char *apply_landlock(const struct request *r, int abi)
{
	uint64_t all = (LL_FS_MAKE_SYM << 1) - 1; /* ABI 1: bits 0-12 */
	if (abi >= 2)
		all |= LL_FS_REFER;
	if (abi >= 3)
		all |= LL_FS_TRUNCATE;
	if (abi >= 5)
		all |= LL_FS_IOCTL_DEV;
	struct ll_ruleset_attr attr = { .handled_access_fs = all };
	size_t attr_size = abi >= 6 ? sizeof attr : offsetof(struct ll_ruleset_attr, handled_access_net);
	if (abi >= 6)
		attr.scoped = LL_SCOPE_SIGNAL | LL_SCOPE_ABSTRACT_UNIX_SOCKET;
	const uint64_t read = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
	int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0);
	if (ruleset < 0)
		return "landlock_create_ruleset failed";
	static const char *system_dirs[] = { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/dev/urandom",
					     "/dev/random", "/dev/zero", "/proc/self" };
	for (size_t i = 0; i < sizeof system_dirs / sizeof *system_dirs; i++)
		if (add_path_rule(ruleset, system_dirs[i], read))
			return "landlock_add_rule failed for a system directory";
	if (add_path_rule(ruleset, "/dev/null", read | LL_FS_WRITE_FILE | (abi >= 3 ? LL_FS_TRUNCATE : 0)))
		return "landlock_add_rule failed for /dev/null";
	for (int i = 0; i < r->nreads; i++)
		if (add_path_rule(ruleset, r->reads[i], read))
			return "landlock_add_rule failed for a --read path";
	if (add_path_rule(ruleset, ".", all))
		return "landlock_add_rule failed for the work dir";
	if (syscall(SYS_landlock_restrict_self, ruleset, 0))
		return "landlock_restrict_self failed";
	close(ruleset);
	return NULL;
}

/* In the forked child: never returns. A refusal goes to `report` (close-on-exec: EOF there means exec worked). */
static void become_submission(struct request *r, const struct level *l, int fds[3], int report)
{
	const char *why = NULL;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		why = "setsid failed";
	for (int i = 0; i < 3 && !why; i++)
		if (dup2(fds[i], i) < 0)
			why = "dup2 of a stdio fd failed";
	if (!why && chdir(r->workdir))
		why = "cannot enter the work dir";
	struct rlimit lim[] = { { r->fsize, r->fsize }, { r->nofile, r->nofile }, { r->nproc, r->nproc }, { 0, 0 } };
	int res[] = { RLIMIT_FSIZE, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_CORE };
	for (int i = 0; i < 4 && !why; i++)
		if (setrlimit(res[i], &lim[i]))
			why = "setrlimit failed";
	if (!why && l->uid_separation &&
	    (setgroups(0, NULL) || setresgid(SUBMISSION_UID, SUBMISSION_UID, SUBMISSION_UID) ||
	     setresuid(SUBMISSION_UID, SUBMISSION_UID, SUBMISSION_UID)))
		why = "cannot switch to the submission's uid 1001";
	if (!why && l->uid_separation && setuid(0) == 0)
		why = "uid 0 could be regained after the switch";
	if (!why && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		why = "prctl(PR_SET_NO_NEW_PRIVS) failed";
	if (!why && l->abi > 0)
		why = apply_landlock(r, l->abi);
	if (!why) {
		/* Only 0-2 and the report pipe (close-on-exec) are left open: nothing of the grader's. */
		for (int fd = 3; fd < 4096; fd++)
			if (fd != report)
				close(fd);
		r->env[r->nenv] = NULL;
		r->argv[r->nargv] = NULL;
		execvpe(r->argv[0], r->argv, r->env);
		why = "cannot execute the program";
	}
	char msg[512];
	int n = snprintf(msg, sizeof msg, "%s (%s)", why, strerror(errno));
	if (write(report, msg, (size_t)n) < 0) { /* nothing more to do */ }
	_exit(REFUSED);
}

/* --- the supervisor of one request (root, forked by PID 1) --------------------------------------------------- */

static void reply(int conn, char kind, const char *text)
{
	char buf[600];
	int n = snprintf(buf, sizeof buf, "%c%s", kind, text);
	if (send(conn, buf, (size_t)n, MSG_NOSIGNAL) < 0) { /* the client is gone; the caller cleans up */ }
}

/* Kills every process of uid 1001 (daemons that left the session included): kill(-1) as that uid reaches exactly
 * those. Without uid separation only the submission's session can be reached. */
static void kill_submissions(const struct level *l, pid_t session)
{
	if (!l->uid_separation) {
		kill(-session, SIGKILL);
		return;
	}
	pid_t killer = fork();
	if (killer == 0) {
		if (setresgid(SUBMISSION_UID, SUBMISSION_UID, SUBMISSION_UID) || setresuid(SUBMISSION_UID, SUBMISSION_UID, SUBMISSION_UID))
			_exit(1);
		for (int i = 0; i < 1000 && kill(-1, SIGKILL) == 0; i++) { /* again, in case one was forking */ }
		_exit(0);
	}
	if (killer > 0)
		waitpid(killer, NULL, 0);
}

static int same_file(int a, int b)
{
	struct stat sa, sb;
	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static const char *prepare_workdir(struct request *r, const struct level *l)
{
	int fd = open(r->workdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st))
		return "the work dir cannot be opened (it must be a directory, not a symlink)";
	if (st.st_uid != GRADER_UID && st.st_uid != geteuid()) {
		close(fd);
		return "the work dir must belong to the grader (uid 1000)";
	}
	/* The client (the grader, its owner) made it 0777 for the submission: root here has no CAP_FOWNER/CAP_CHOWN. */
	(void)l;
	close(fd);
	return NULL;
}

static int supervise(struct request *r, const struct level *l, int conn, int fds[3])
{
	const char *why = degraded_reason(l);
	if (why && !r->degraded) {
		char msg[600];
		snprintf(msg, sizeof msg, "refusing to run the submission: %s; the param that allows it is "
			 "ALLOW_DEGRADED_CONFINEMENT=1 (images/README.md, \"Confinement\")", why);
		reply(conn, 'R', msg);
		return 1;
	}
	/* The container's stdout is the grader's alone: the submission may not hold it as any of its streams. */
	for (int i = 0; i < 3; i++)
		if (same_file(fds[i], 1)) {
			reply(conn, 'R', "refusing to run the submission: one of its stdin, stdout, stderr would be the container's stdout");
			return 1;
		}
	if (r->check) { /* confine check: would a run be allowed here? */
		char text[600];
		describe(l, text, sizeof text);
		reply(conn, 'I', text);
		reply(conn, 'X', "0");
		return 0;
	}
	if (r->nargv == 0) {
		reply(conn, 'R', "refusing to run the submission: no program given");
		return 1;
	}
	if ((why = prepare_workdir(r, l))) {
		reply(conn, 'R', why);
		return 1;
	}
	int report[2];
	if (pipe2(report, O_CLOEXEC)) {
		reply(conn, 'R', "pipe failed");
		return 1;
	}
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC);
	pid_t pid = fork();
	if (pid == 0) {
		close(report[0]);
		become_submission(r, l, fds, report[1]);
	}
	close(report[1]);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	if (pid < 0 || sfd < 0) {
		reply(conn, 'R', "fork failed");
		return 1;
	}
	char msg[512] = { 0 };
	ssize_t n = read(report[0], msg, sizeof msg - 1);
	close(report[0]);
	if (n > 0) {
		waitpid(pid, NULL, 0);
		char full[600];
		snprintf(full, sizeof full, "refusing to run the submission: %s", msg);
		reply(conn, 'R', full);
		return 1;
	}
	char text[32];
	snprintf(text, sizeof text, "%d", (int)pid);
	reply(conn, 'S', text);
	int status = 0, done = 0;
	while (!done) {
		struct pollfd p[2] = { { .fd = conn, .events = POLLIN }, { .fd = sfd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents) { /* the client hung up (the grader's time limit): nothing of the submission stays */
			char ignored[16];
			if (recv(conn, ignored, sizeof ignored, MSG_DONTWAIT) <= 0) {
				kill_submissions(l, pid);
				waitpid(pid, &status, 0);
				/* Only now may the grader start the next run: this kill cannot reach it. */
				reply(conn, 'K', "9");
				return 0;
			}
		}
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) < 0) { /* the waitpid below tells */ }
			if (waitpid(pid, &status, WNOHANG) == pid)
				done = 1;
		}
	}
	kill_submissions(l, pid); /* daemons it left behind do not outlive their run */
	snprintf(text, sizeof text, "%d", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	reply(conn, WIFEXITED(status) ? 'X' : 'K', text);
	return 0;
}

static int parse_limit(struct request *r, const char *item)
{
	char *end;
	const char *eq = strchr(item, '=');
	if (!eq)
		return -1;
	unsigned long long v = strtoull(eq + 1, &end, 10);
	if (*end || end == eq + 1)
		return -1;
	if (!strncmp(item, "fsize=", 6))
		r->fsize = v;
	else if (!strncmp(item, "nofile=", 7))
		r->nofile = v;
	else if (!strncmp(item, "nproc=", 6))
		r->nproc = v;
	else
		return -1;
	return 0;
}

/* Items are NUL-terminated, each led by its kind letter. -1 on anything malformed. */
static int parse_request(char *buf, size_t len, struct request *r)
{
	memset(r, 0, sizeof *r);
	r->fsize = 64ULL << 20, r->nofile = 256, r->nproc = 64;
	for (size_t at = 0; at < len;) {
		char *item = buf + at;
		size_t n = strnlen(item, len - at);
		if (n == len - at || n == 0)
			return -1;
		at += n + 1;
		switch (item[0]) {
		case 'W': r->workdir = item + 1; break;
		case 'D': r->degraded = 1; break;
		case 'C': r->check = 1; break;
		case 'E': if (r->nenv >= MAX_ITEMS - 1) return -1; r->env[r->nenv++] = item + 1; break;
		case 'A': if (r->nargv >= MAX_ITEMS - 1) return -1; r->argv[r->nargv++] = item + 1; break;
		case 'R': if (r->nreads >= 63) return -1; r->reads[r->nreads++] = item + 1; break;
		case 'L': if (parse_limit(r, item + 1)) return -1; break;
		default: return -1;
		}
	}
	return r->workdir ? 0 : -1;
}

/* --- PID 1 --------------------------------------------------------------------------------------------------- */

static int serve_one(int ctl, const struct level *l)
{
	static char buf[MAX_REQUEST];
	char cbuf[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { buf, sizeof buf };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	ssize_t n = recvmsg(ctl, &msg, MSG_CMSG_CLOEXEC);
	if (n <= 0)
		return n == 0 ? -1 : 0; /* 0: every grader end is closed */
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	int fds[4] = { -1, -1, -1, -1 }, count = 0;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		memcpy(fds, CMSG_DATA(c), (size_t)(count < 4 ? count : 4) * sizeof(int));
	}
	if (count != 4 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		for (int i = 0; i < 4 && i < count; i++)
			close(fds[i]);
		say("ignored a malformed request (%d fds, flags %#x)", count, msg.msg_flags);
		return 0;
	}
	pid_t pid = fork();
	if (pid == 0) {
		close(ctl);
		role = "confine supervisor";
		struct request r;
		if (parse_request(buf, (size_t)n, &r)) {
			reply(fds[0], 'R', "refusing a malformed request");
			_exit(1);
		}
		_exit(supervise(&r, l, fds[0], fds + 1));
	}
	for (int i = 0; i < 4; i++)
		close(fds[i]);
	return 0;
}

/* The private params as NAME=VALUE\0 records in a memfd (not close-on-exec: the grader keeps it), taken out of the
 * environment the grader gets; -1 and the reason said when it cannot be made (the caller refuses: fail closed). */
static int private_params(char **names, int count)
{
	int fd = (int)syscall(SYS_memfd_create, "correctomatic-private", 0);
	if (fd < 0) {
		say("memfd_create failed: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < count; i++) {
		const char *value = getenv(names[i]);
		if (!value)
			continue;
		size_t n = strlen(names[i]), m = strlen(value);
		if (write(fd, names[i], n) != (ssize_t)n || write(fd, "=", 1) != 1 ||
		    write(fd, value, m + 1) != (ssize_t)(m + 1)) {
			say("cannot keep the private param %s: %s", names[i], strerror(errno));
			close(fd);
			return -1;
		}
		char *entry = (char *)value - n - 1; /* "NAME=VALUE" in PID 1's first stack: /proc/1/environ shows it */
		unsetenv(names[i]);
		memset(entry, 0, n + 1 + m);
	}
	return fd;
}

static int init_main(char **names, int private_count, char **argv)
{
	role = "confine init";
	int private_fd = -1;
	if (private_count > 0 && (private_fd = private_params(names, private_count)) < 0)
		return REFUSED;
	struct level l = { .uid_separation = geteuid() == 0, .abi = landlock_abi(), .gvisor = under_gvisor() };
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		say("socketpair failed: %s", strerror(errno));
		return REFUSED;
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	pid_t grader = fork();
	if (grader == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int fd = dup(sv[1]); /* without close-on-exec: the grader keeps it */
		char value[16];
		snprintf(value, sizeof value, "%d", fd);
		setenv(FD_ENV, value, 1);
		if (private_fd >= 0) {
			snprintf(value, sizeof value, "%d", private_fd);
			setenv(PRIVATE_FD_ENV, value, 1);
		}
		/* The grader: uid 1000, every capability gone with the uid change (no SECBIT_KEEP_CAPS), no_new_privs. */
		if (l.uid_separation && (setgroups(0, NULL) || setresgid(GRADER_UID, GRADER_UID, GRADER_UID) ||
					 setresuid(GRADER_UID, GRADER_UID, GRADER_UID))) {
			say("cannot switch to the grader's uid 1000: %s", strerror(errno));
			_exit(REFUSED);
		}
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
			say("prctl(PR_SET_NO_NEW_PRIVS) failed: %s", strerror(errno));
			_exit(REFUSED);
		}
		execvp(argv[0], argv);
		say("cannot execute the grader %s: %s", argv[0], strerror(errno));
		_exit(REFUSED);
	}
	close(sv[1]);
	if (private_fd >= 0)
		close(private_fd); /* a supervisor forked from here, and so the submission, never holds it */
	/* The job params are the grader's (it got its copy at fork): PID 1's own /proc/1/environ shows nothing of them,
	 * which matters under gVisor, whose /proc/PID/environ any uid can read (images/README.md, "Confinement"). */
	for (char **e = environ; *e; e++)
		memset(*e, 0, strlen(*e));
	if (grader < 0 || sfd < 0) {
		say("cannot start the grader: %s", strerror(errno));
		return REFUSED;
	}
	int status = 0, ctl_open = 1;
	for (;;) {
		struct pollfd p[2] = { { .fd = sfd, .events = POLLIN }, { .fd = ctl_open ? sv[0] : -1, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents && serve_one(sv[0], &l) < 0)
			ctl_open = 0;
		if (!p[0].revents)
			continue;
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo != SIGCHLD) { /* docker stop: the grader is told; the engine kills what is left */
			kill(grader, (int)si.ssi_signo);
			continue;
		}
		pid_t pid;
		int st;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
			if (pid == grader) {
				status = st;
				goto grader_done;
			}
	}
grader_done:
	/* The container's life is the grader's: whatever is left (supervisors, submissions) ends with it. */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0) { }
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* --- confine run (the client, run by the grader) ------------------------------------------------------------- */

static int append(char *buf, size_t *len, char kind, const char *value)
{
	size_t n = strlen(value);
	if (*len + n + 2 > MAX_REQUEST)
		return -1;
	buf[(*len)++] = kind;
	memcpy(buf + *len, value, n + 1);
	*len += n + 1;
	return 0;
}

static int run_main(int argc, char **argv, int check)
{
	role = check ? "confine check" : "confine run";
	static char buf[MAX_REQUEST];
	size_t len = 0;
	char cwd[4096], env_path[] = "PATH=/usr/local/bin:/usr/bin:/bin", env_lang[] = "LANG=C.UTF-8";
	const char *workdir = getcwd(cwd, sizeof cwd);
	int i = 1, envs = 0, ok = 1;
	for (; i < argc && strcmp(argv[i], "--"); i++) {
		const char *opt = argv[i], *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(opt, "--allow-degraded")) {
			ok &= append(buf, &len, 'D', "") == 0;
			continue;
		}
		if (!value) {
			say("%s needs a value", opt);
			return REFUSED;
		}
		i++;
		if (!strcmp(opt, "--workdir"))
			workdir = value;
		else if (!strcmp(opt, "--env"))
			ok &= append(buf, &len, 'E', value) == 0, envs++;
		else if (!strcmp(opt, "--read"))
			ok &= append(buf, &len, 'R', value) == 0;
		else if (!strcmp(opt, "--limit"))
			ok &= append(buf, &len, 'L', value) == 0;
		else {
			say("unknown option %s", opt);
			return REFUSED;
		}
	}
	if (check)
		ok &= append(buf, &len, 'C', "") == 0;
	if ((!check && i >= argc - 1) || !workdir) {
		say("usage: confine run [--workdir DIR] [--env K=V]... [--read PATH]... [--limit NAME=N]... [--allow-degraded] -- PROGRAM [ARGS]");
		return REFUSED;
	}
	char workdir_abs[4096], home[4200];
	if (!realpath(workdir, workdir_abs)) {
		say("the work dir %s: %s", workdir, strerror(errno));
		return REFUSED;
	}
	ok &= append(buf, &len, 'W', workdir_abs) == 0;
	/* The submission (uid 1001) writes in it; the grader keeps it (owner). The only other uid here is root. */
	struct stat st;
	if (!check && (lstat(workdir_abs, &st) || !S_ISDIR(st.st_mode) || (st.st_uid == getuid() && chmod(workdir_abs, 0777)))) {
		say("the work dir %s cannot be shared with the submission: %s", workdir_abs, strerror(errno));
		return REFUSED;
	}
	if (envs == 0) {
		snprintf(home, sizeof home, "HOME=%s", workdir_abs);
		ok &= append(buf, &len, 'E', env_path) == 0 && append(buf, &len, 'E', home) == 0 && append(buf, &len, 'E', env_lang) == 0;
	}
	for (i++; i < argc; i++)
		ok &= append(buf, &len, 'A', argv[i]) == 0;
	if (!ok) {
		say("the request is larger than %d bytes", MAX_REQUEST);
		return REFUSED;
	}
	const char *fdtext = getenv(FD_ENV);
	char *end;
	long ctl = fdtext ? strtol(fdtext, &end, 10) : -1;
	if (!fdtext || *end || ctl < 3) {
		say("no spawner: %s is not set (the image's CMD must start with 'confine init --')", FD_ENV);
		return REFUSED;
	}
	int conn[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, conn)) {
		say("socketpair failed: %s", strerror(errno));
		return REFUSED;
	}
	int fds[4] = { conn[1], 0, 1, 2 };
	char cbuf[CMSG_SPACE(sizeof fds)];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = { buf, len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET, c->cmsg_type = SCM_RIGHTS, c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	if (sendmsg((int)ctl, &msg, MSG_NOSIGNAL) < 0) {
		say("the spawner does not answer on fd %ld: %s", ctl, strerror(errno));
		return REFUSED;
	}
	close(conn[1]);
	/* SIGTERM, SIGINT or SIGHUP (a grader's time limit): hang up, and return only once the spawner has killed every
	 * process of the submission, so that the grader's next run cannot meet that kill. (SIGKILL works too, but then
	 * the grader may start the next run before the cleanup is over.) */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGHUP);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	int sfd = signalfd(-1, &stop, SFD_CLOEXEC);
	int stopped = 0;
	for (;;) {
		char answer[700];
		struct pollfd p[2] = { { .fd = conn[0], .events = POLLIN }, { .fd = stopped ? -1 : sfd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return REFUSED;
		if (p[1].revents) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof si) == sizeof si)
				stopped = (int)si.ssi_signo;
			shutdown(conn[0], SHUT_WR);
			continue;
		}
		if (!p[0].revents)
			continue;
		ssize_t n = recv(conn[0], answer, sizeof answer - 1, 0);
		if (n <= 0 && stopped)
			return 128 + stopped;
		if (n <= 0) {
			say("the spawner ended the run without a status");
			return REFUSED;
		}
		answer[n] = 0;
		switch (answer[0]) {
		case 'S': continue;
		case 'I': puts(answer + 1); fflush(stdout); continue;
		case 'X': return atoi(answer + 1);
		case 'K': { /* die of the same signal, as a shell does: the grader sees what killed the submission */
			int sig = stopped ? stopped : atoi(answer + 1);
			struct rlimit none = { 0, 0 };
			sigset_t all;
			setrlimit(RLIMIT_CORE, &none);
			signal(sig, SIG_DFL);
			sigfillset(&all);
			sigprocmask(SIG_UNBLOCK, &all, NULL);
			kill(getpid(), sig);
			return 128 + sig;
		}
		case 'R': say("%s", answer + 1); return REFUSED;
		default: say("unexpected answer from the spawner"); return REFUSED;
		}
	}
}

/* --- confine param (run by the grader) ------------------------------------------------------------------------ */

static int param_main(const char *name)
{
	role = "confine param";
	const char *raw = getenv(PRIVATE_FD_ENV);
	char *end;
	long fd = raw ? strtol(raw, &end, 10) : -1;
	if (!raw || *end || fd < 0 || fd > 1 << 20) {
		say("no private params here (confine init --private NAME)");
		return 1;
	}
	struct stat st;
	char *buf = fstat((int)fd, &st) == 0 ? malloc((size_t)st.st_size + 1) : NULL;
	ssize_t n = buf ? pread((int)fd, buf, (size_t)st.st_size, 0) : -1;
	if (n < 0) {
		say("cannot read the private params: %s", strerror(errno));
		return 1;
	}
	buf[n] = 0;
	size_t len = strlen(name);
	for (ssize_t at = 0; at < n; at += (ssize_t)strlen(buf + at) + 1)
		if (!strncmp(buf + at, name, len) && buf[at + (ssize_t)len] == '=') {
			const char *value = buf + at + len + 1;
			return fwrite(value, 1, strlen(value), stdout) == strlen(value) && fflush(stdout) == 0 ? 0 : 1;
		}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "run"))
		return run_main(argc - 1, argv + 1, 0);
	if (argc >= 2 && !strcmp(argv[1], "init")) {
		char *names[MAX_PRIVATE];
		int count = 0, i = 2;
		for (; i + 1 < argc && !strcmp(argv[i], "--private") && count < MAX_PRIVATE; i += 2)
			names[count++] = argv[i + 1];
		if (i + 1 < argc && !strcmp(argv[i], "--"))
			return init_main(names, count, argv + i + 1);
	}
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return run_main(argc - 1, argv + 1, 1);
	if (argc == 3 && !strcmp(argv[1], "param"))
		return param_main(argv[2]);
	fprintf(stderr, "usage: confine init [--private NAME]... -- GRADER... | confine run [OPTIONS] -- PROGRAM... | "
			"confine check [--allow-degraded] | confine param NAME\n");
	return REFUSED;
}
