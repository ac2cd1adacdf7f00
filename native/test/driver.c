/*
 * End-to-end test of javarun-helper without Java: plays the JVM's part (socketpair, spawn,
 * PLAN, answers to SYNC, the exec FIFO, reaping the container it gets as a child thanks to
 * CLONE_PARENT) and checks what the container reports about itself.
 *
 * usage: test-driver <helper> <busybox rootfs> <scratch dir>      (as root)
 *
 * Every mount the plans make lives in the container's own mount namespace, so nothing needs
 * undoing on the host; only the scratch files (FIFO, socket, bind source) are removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../src/record.h"

static const char *helper_path, *rootfs, *scratch;
static int failures;
static char fifo_path[512], sock_path[512], share_path[512];

/* ---------- small utilities ---------- */

static const char *u(unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	return strdup(buf);
}

static const char *hx(unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llx", v);
	return strdup(buf);
}

static void on_alarm(int sig)
{
	(void)sig;
	static const char msg[] = "test-driver: timed out\n";
	(void)!write(2, msg, sizeof(msg) - 1);
	_exit(2);
}

#define CHECK(cond, ...)                                                                                     \
	do {                                                                                                 \
		if (!(cond)) {                                                                               \
			fprintf(stderr, "    FAIL %s:%d: ", __FILE__, __LINE__);                                 \
			fprintf(stderr, __VA_ARGS__);                                                        \
			fprintf(stderr, "\n");                                                               \
			return -1;                                                                           \
		}                                                                                            \
	} while (0)

/* ---------- plans ---------- */

#define MAXOPS 128
#define MAXFIELDS 400

struct plan {
	int n;
	int nf[MAXOPS];
	const char *f[MAXOPS][MAXFIELDS];
};

static int add_op(struct plan *p, const char *name, ...)
{
	va_list ap;
	const char *s;
	int i = p->n++;

	if (i >= MAXOPS) {
		fprintf(stderr, "test plan too long\n");
		exit(2);
	}
	p->f[i][0] = name;
	p->nf[i] = 1;
	va_start(ap, name);
	while ((s = va_arg(ap, const char *)) != NULL) {
		if (p->nf[i] == MAXFIELDS) {
			fprintf(stderr, "test op has too many fields\n");
			exit(2);
		}
		p->f[i][p->nf[i]++] = s;
	}
	va_end(ap);
	return i;
}
#define OP(p, ...) add_op(p, __VA_ARGS__, (const char *)NULL)

/* One more field for op i. */
static void add_field(struct plan *p, int i, const char *field)
{
	if (p->nf[i] == MAXFIELDS) {
		fprintf(stderr, "test op has too many fields\n");
		exit(2);
	}
	p->f[i][p->nf[i]++] = field;
}

static unsigned char wire[RECORD_MAX];

static int send_fields(int sock, int n, const char *const *fields)
{
	size_t len = record_encode(wire, sizeof(wire), (uint32_t)n, fields);

	if (len == 0 || send(sock, wire, len, MSG_NOSIGNAL) != (ssize_t)len)
		return -1;
	return 0;
}

static int send_plan(int sock, const struct plan *p)
{
	const char *head[2] = { "PLAN", u((unsigned)p->n) };
	int i;

	if (send_fields(sock, 2, head) < 0)
		return -1;
	for (i = 0; i < p->n; i++)
		if (send_fields(sock, p->nf[i], p->f[i]) < 0)
			return -1;
	return 0;
}

static int send_word(int sock, const char *word)
{
	return send_fields(sock, 1, &word);
}

/* Receives one record: 1 with rec filled, 0 at end of stream, -1 on error (timeout). */
static unsigned char rbuf[RECORD_MAX];
static unsigned char rmem[RECORD_MAX * 2];

static int recv_rec(int sock, struct record *rec)
{
	struct arena a = { rmem, sizeof(rmem), 0 };
	ssize_t n = recv(sock, rbuf, sizeof(rbuf), 0);

	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (record_decode(rbuf, (size_t)n, &a, rec) < 0)
		return -1;
	return 1;
}

static const char *describe(const struct record *r)
{
	static char buf[8192];
	size_t off = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < r->nfields && off < sizeof(buf) - 1; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "", r->fields[i]);
	return buf;
}

/* ---------- running the helper ---------- */

struct run {
	pid_t helper;
	pid_t child; /* from PID, 0 until seen */
	int sock;
	int out; /* read end of the container's stdout */
	int err; /* read end of its stderr */
	int extra; /* read end of preserved fd 3, -1 when none */
};

/* Spawns the helper the way the JVM does: stdio, optional preserved fd 3, the sync socket on
 * the next fd, and one deliberately leaked fd (20) that close_range must take away. */
static int start(struct run *r, int preserve)
{
	int sv[2], o[2], e[2], x[2] = { -1, -1 };
	struct timeval tv = { .tv_sec = 15 };
	int syncfd = preserve ? 4 : 3;

	memset(r, 0, sizeof(*r));
	r->extra = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(o, O_CLOEXEC) < 0 ||
	    pipe2(e, O_CLOEXEC) < 0 || (preserve && pipe2(x, O_CLOEXEC) < 0)) {
		perror("socketpair/pipe");
		return -1;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* As libjavarun does: room in the send buffer for a whole record (and, here, more). */
	setsockopt(sv[0], SOL_SOCKET, SO_SNDBUFFORCE, &(int){ 2 * RECORD_MAX }, sizeof(int));
	r->helper = fork();
	if (r->helper < 0) {
		perror("fork");
		return -1;
	}
	if (r->helper == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		int src[5] = { null, o[1], e[1], preserve ? x[1] : sv[1], sv[1] };
		int n = preserve ? 5 : 4, tmp[5], i;
		char fdarg[16];

		signal(SIGPIPE, SIG_DFL); /* the driver's own SIG_IGN must not reach the container */
		for (i = 0; i < n; i++)
			tmp[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 100);
		for (i = 0; i < n; i++)
			dup2(tmp[i], i);
		dup2(null, 20); /* the leak */
		snprintf(fdarg, sizeof(fdarg), "%d", syncfd);
		execl(helper_path, "javarun-helper", fdarg, (char *)NULL);
		perror("exec helper");
		_exit(126);
	}
	close(sv[1]);
	close(o[1]);
	close(e[1]);
	if (preserve) {
		close(x[1]);
		r->extra = x[0];
	}
	r->sock = sv[0];
	r->out = o[0];
	r->err = e[0];
	return 0;
}

static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t off = 0;
	ssize_t n;

	if (fd < 0) {
		buf[0] = '\0';
		return 0;
	}
	while (off < cap - 1 && (n = read(fd, buf + off, cap - 1 - off)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		off += (size_t)n;
	}
	buf[off] = '\0';
	return off;
}

/* Exit code of pid, or 1000 + signal, or -1. */
static int reap(pid_t pid)
{
	int status;

	if (pid <= 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 1000 + WTERMSIG(status);
	return -1;
}

static void finish(struct run *r)
{
	if (r->child > 0) {
		kill(r->child, SIGKILL);
		reap(r->child);
	}
	if (r->helper > 0) {
		kill(r->helper, SIGKILL);
		reap(r->helper);
	}
	close(r->sock);
	close(r->out);
	close(r->err);
	if (r->extra >= 0)
		close(r->extra);
}

static int expect_pid(struct run *r)
{
	struct record rec;
	int got = recv_rec(r->sock, &rec);

	CHECK(got == 1, "expected PID, got %s", got == 0 ? "end of stream" : "error/timeout");
	CHECK(rec.nfields == 2 && strcmp(rec.fields[0], "PID") == 0, "expected PID, got %s", describe(&rec));
	r->child = atoi(rec.fields[1]);
	CHECK(r->child > 0, "bad pid %s", rec.fields[1]);
	return 0;
}

static int expect_err(struct run *r, int opindex, int err, const char *detail_part)
{
	struct record rec;
	int got = recv_rec(r->sock, &rec);

	CHECK(got == 1, "expected ERR, got %s", got == 0 ? "end of stream" : "error/timeout");
	CHECK(rec.nfields == 4 && strcmp(rec.fields[0], "ERR") == 0, "expected ERR, got %s", describe(&rec));
	CHECK(atoi(rec.fields[1]) == opindex && atoi(rec.fields[2]) == err, "expected ERR %d %d, got %s", opindex,
	      err, describe(&rec));
	CHECK(!detail_part || strstr(rec.fields[3], detail_part), "ERR detail \"%s\" lacks \"%s\"", rec.fields[3],
	      detail_part);
	printf("    (%s)\n", describe(&rec));
	return 0;
}

static int expect_eof(struct run *r)
{
	struct record rec;
	int got = recv_rec(r->sock, &rec);

	CHECK(got == 0, "expected end of stream, got %s", got < 0 ? "error/timeout" : describe(&rec));
	return 0;
}

static int expect_word(struct run *r, const char *word, const char *arg)
{
	struct record rec;
	int got = recv_rec(r->sock, &rec);

	CHECK(got == 1, "expected %s, got %s", word, got == 0 ? "end of stream" : "error/timeout");
	CHECK(strcmp(rec.fields[0], word) == 0 && (!arg || (rec.nfields == 2 && strcmp(rec.fields[1], arg) == 0)),
	      "expected %s %s, got %s", word, arg ? arg : "", describe(&rec));
	return 0;
}

/* ---------- the container setups ---------- */

#define NS_ALL_BUT_USER (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET)

/* The /dev a runtime builds on tmpfs, with devpts; nodes by mknod (root only) or by binding
 * the host's (user namespaces). */
static void plan_rootfs_and_dev(struct plan *p, int bind_devices)
{
	OP(p, "ROOT_PROPAGATION", u(MS_REC | MS_PRIVATE));
	OP(p, "ROOTFS", rootfs);
	OP(p, "MOUNT", "proc", "/proc", "proc", u(MS_NOSUID | MS_NOEXEC | MS_NODEV), "");
	OP(p, "MOUNT", "tmpfs", "/dev", "tmpfs", u(MS_NOSUID | MS_STRICTATIME), "mode=755,size=65536k");
	OP(p, "MKDIR", "/dev/pts", u(0755));
	OP(p, "MOUNT", "devpts", "/dev/pts", "devpts", u(MS_NOSUID | MS_NOEXEC),
	   "newinstance,ptmxmode=0666,mode=0620");
	if (bind_devices) {
		OP(p, "MKFILE", "/dev/null", u(0666));
		OP(p, "MOUNT", "/dev/null", "/dev/null", "", u(MS_BIND), "");
	} else {
		OP(p, "MKNOD", "/dev/null", "c", "1", "3", u(0666), "0", "0");
		OP(p, "MKNOD", "/dev/zero", "c", "1", "5", u(0666), "0", "0");
		OP(p, "MKNOD", "/dev/full", "u", "1", "7", u(0666), "0", "0");
		OP(p, "MKNOD", "/dev/urandom", "c", "1", "9", u(0666), "0", "0");
		OP(p, "MKNOD", "/dev/tty", "c", "5", "0", u(0666), "0", "0");
	}
	OP(p, "SYMLINK", "pts/ptmx", "/dev/ptmx");
	OP(p, "SYMLINK", "/proc/self/fd", "/dev/fd");
}

static const char *full_script =
	"echo $$; hostname; id -u; cat /proc/self/status | grep CapEff\n"
	"echo pid=$$\n"
	"echo host=$(hostname)\n"
	"echo domain=$(cat /proc/sys/kernel/domainname)\n"
	"echo uid=$(id -u) gid=$(id -g) groups=$(id -G)\n"
	"grep -E '^(CapBnd|NoNewPrivs):' /proc/self/status\n"
	"echo nofile=$(ulimit -n) core=$(ulimit -c)\n"
	"echo lo=$(cat /sys/class/net/lo/flags) netdevs=$(ls /sys/class/net)\n"
	"echo umask=$(umask) cwd=$(pwd)\n"
	"echo home=$HOME var=$TESTVAR\n"
	"test -c /dev/null && echo devnull=c\n"
	"test -c /dev/full && echo devfull=c\n"
	"echo ptmx=$(readlink /dev/ptmx)\n"
	"echo version=$(wc -c </proc/version)\n"
	"echo firmware=$(ls -A /sys/firmware | wc -l)\n"
	"echo procsys_ro=$(grep -c ' /proc/sys ro,' /proc/self/mountinfo)\n"
	"echo hello=$(cat /mnt/hello)\n"
	"touch /mnt/new 2>/dev/null && echo mnt=rw || echo mnt=ro\n"
	"echo tmp=$(grep -c ' /tmp tmpfs ' /proc/mounts) devpts=$(grep -c ' /dev/pts devpts ' /proc/mounts)\n"
	"test -f /etc/javarun-test && echo mkfile=yes\n"
	"test -d /data/a/b && echo mkdir=yes\n"
	"echo oom=$(cat /proc/self/oom_score_adj)\n"
	"echo inside=$(grep -c ' /javarun-inside tmpfs ' /proc/mounts)\n"
	"test -e /proc/self/fd/20 && echo leak=yes || echo leak=no\n"
	"test -e /proc/self/fd/4 && echo sync=open || echo sync=closed\n"
	"echo fds=$(ls /proc/self/fd | wc -l)\n"
	"grep SigIgn /proc/self/status\n"
	"[ $(cut -d. -f1 /proc/uptime) -ge 864000 ] && echo timens=yes\n"
	"echo cgroupns=$(readlink /proc/self/ns/cgroup)\n"
	"echo sid=$(cut -d' ' -f6 /proc/self/stat)\n"
	"echo preserved >&3\n";

/* What the plans created in the (bind-mounted, so real) test rootfs. */
static void clean_rootfs(void)
{
	static const char *const files[] = { "etc/javarun-test", "escape", "abs-escape" };
	static const char *const dirs[] = { "data/a/b", "data/a", "data", "javarun-inside" };
	char path[1024];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", rootfs, files[i]);
		unlink(path);
	}
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", rootfs, dirs[i]);
		rmdir(path);
	}
}

#define KEEP_CAPS ((1ULL << 0) | (1ULL << 5) | (1ULL << 6) | (1ULL << 7) | (1ULL << 8) | (1ULL << 10))
#define NET_BIND (1ULL << 10)

static int test_full_container(void)
{
	static char out[65536], err[65536], extra[256], exe[256];
	struct plan p = { 0 };
	struct run r;
	char c = 1;
	int fifo, res = -1, code;
	ssize_t n;

	unlink(fifo_path);
	CHECK(mkfifo(fifo_path, 0622) == 0 && chmod(fifo_path, 0622) == 0, "mkfifo %s: %s", fifo_path,
	      strerror(errno));
	OP(&p, "OPEN_EXEC_FIFO", fifo_path);
	/* A time namespace can only come from unshare, and its offsets must be in place before the
	 * first process (the clone below) enters it. */
	OP(&p, "UNSHARE", u(CLONE_NEWTIME));
	OP(&p, "WRITE_FILE", "/proc/self/timens_offsets", "boottime 864000 0");
	OP(&p, "CLONE", u(NS_ALL_BUT_USER), "", "", "");
	OP(&p, "UNSHARE", u(CLONE_NEWCGROUP));
	plan_rootfs_and_dev(&p, 0);
	OP(&p, "MOUNT", "tmpfs", "/tmp", "tmpfs", u(MS_NOSUID | MS_NODEV), "mode=1777");
	OP(&p, "MOUNT", "sysfs", "/sys", "sysfs", u(MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV), "");
	OP(&p, "MKFILE", "/etc/javarun-test", u(0644));
	OP(&p, "MKDIR", "/data/a/b", u(0755));
	OP(&p, "MKDIR", "/mnt", u(0755));
	/* Symlinks planted in the image must not lead a mount out of the root. */
	OP(&p, "SYMLINK", "../../../../../../../../..", "/escape");
	OP(&p, "SYMLINK", "/", "/abs-escape");
	OP(&p, "MKDIR", "/escape/javarun-inside", u(0755));
	OP(&p, "MOUNT", "tmpfs", "/abs-escape/escape/javarun-inside", "tmpfs", "0", "");
	OP(&p, "MOUNT", share_path, "/mnt", "", u(MS_BIND | MS_REC), "");
	OP(&p, "PIVOT_ROOT");
	OP(&p, "MASK", "/proc/kcore");
	OP(&p, "MASK", "/proc/version");
	OP(&p, "MASK", "/sys/firmware");
	OP(&p, "MASK", "/proc/no-such-file");
	OP(&p, "READONLY", "/proc/sys");
	OP(&p, "READONLY", "/proc/no-such-file");
	OP(&p, "REMOUNT", "/mnt", u(MS_BIND | MS_RDONLY), "");
	OP(&p, "PROPAGATION", "/mnt", u(MS_PRIVATE));
	OP(&p, "HOSTNAME", "testbox");
	OP(&p, "DOMAINNAME", "testdomain");
	OP(&p, "SETSID");
	OP(&p, "JOIN_KEYRING", "_ses.javarun-test", "0x80000");
	OP(&p, "LOOPBACK_UP");
	OP(&p, "WRITE_FILE", "/proc/self/oom_score_adj", "100");
	OP(&p, "RLIMIT", "RLIMIT_NOFILE", "1024", "1024");
	OP(&p, "RLIMIT", u(4), "0", "0");
	OP(&p, "CAP_BOUNDING", hx(KEEP_CAPS));
	OP(&p, "USER", "1000", "1000", "");
	OP(&p, "CAPS", hx(NET_BIND), hx(NET_BIND), hx(NET_BIND), hx(NET_BIND));
	OP(&p, "NO_NEW_PRIVS");
	OP(&p, "UMASK", "027");
	OP(&p, "CHDIR", "/tmp");
	OP(&p, "ENV", "PATH=/bin");
	OP(&p, "ENV", "HOME=/home/test");
	OP(&p, "ENV", "TESTVAR=a b c");
	OP(&p, "RESOLVE_EXEC", "sh", "/usr/bin::/bin");
	OP(&p, "READY");
	OP(&p, "WAIT_EXEC_FIFO");
	OP(&p, "EXEC", "sh", "-c", full_script);

	if (start(&r, 1) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_word(&r, "READY", NULL) < 0 ||
	    expect_eof(&r) < 0)
		goto out;
	/* The container now blocks in WAIT_EXEC_FIFO, still running the helper's image. */
	{
		char link[64];

		snprintf(link, sizeof(link), "/proc/%d/exe", r.child);
		n = readlink(link, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (!strstr(exe, "memfd:javarun-helper")) {
			fprintf(stderr, "    FAIL: container's exe before exec is \"%s\", not the sealed memfd\n", exe);
			goto out;
		}
		fifo = open(link, O_WRONLY | O_CLOEXEC);
		if (fifo >= 0) {
			fprintf(stderr, "    FAIL: the helper image is writable through %s\n", link);
			close(fifo);
			goto out;
		}
	}
	fifo = open(fifo_path, O_RDONLY | O_CLOEXEC);
	if (fifo < 0 || read(fifo, &c, 1) != 1 || c != 0) {
		fprintf(stderr, "    FAIL: exec FIFO handshake\n");
		goto out;
	}
	close(fifo);
	read_all(r.out, out + 1, sizeof(out) - 1);
	out[0] = '\n';
	read_all(r.err, err, sizeof(err));
	read_all(r.extra, extra, sizeof(extra));
	code = reap(r.helper);
	r.helper = 0;
	if (code != 0) {
		fprintf(stderr, "    FAIL: helper exited %d\n", code);
		goto out;
	}
	code = reap(r.child);
	r.child = 0;
	if (code != 0 || err[0]) {
		fprintf(stderr, "    FAIL: container exited %d, stderr:\n%s\n", code, err);
		goto out;
	}
	{
		char capbnd[64], capeff[64];
		const char *want[] = {
			"\n1\ntestbox\n1000\n", /* the brief's own command line */
			"\npid=1\n",
			"\nhost=testbox\n",
			"\ndomain=testdomain\n",
			"\nuid=1000 gid=1000 groups=1000\n",
			capeff,
			capbnd,
			"\nNoNewPrivs:\t1\n",
			"\nnofile=1024 core=0\n",
			"\nlo=0x9 netdevs=lo\n",
			"\numask=0027 cwd=/tmp\n",
			"\nhome=/home/test var=a b c\n",
			"\ndevnull=c\n",
			"\ndevfull=c\n",
			"\nptmx=pts/ptmx\n",
			"\nversion=0\n",
			"\nfirmware=0\n",
			"\nprocsys_ro=1\n",
			"\nhello=world\n",
			"\nmnt=ro\n",
			"\ntmp=1 devpts=1\n",
			"\nmkfile=yes\n",
			"\nmkdir=yes\n",
			"\noom=100\n",
			"\ninside=1\n",
			"\nleak=no\n",
			"\nsync=closed\n",
			"\nfds=5\n", /* 0-2, preserved 3, and ls's own directory fd */
			"\nSigIgn:\t0000000000000000\n",
			"\ntimens=yes\n",
			"\nsid=1\n",
		};
		size_t i;

		snprintf(capeff, sizeof(capeff), "\nCapEff:\t%016llx\n", NET_BIND);
		snprintf(capbnd, sizeof(capbnd), "\nCapBnd:\t%016llx\n", KEEP_CAPS);
		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			if (!strstr(out, want[i])) {
				fprintf(stderr, "    FAIL: output lacks \"%s\"; output was:%s\n", want[i] + 1, out);
				goto out;
			}
		}
	}
	if (getenv("VERBOSE"))
		fputs(out, stdout);
	{
		char host_cg[128] = "", *cg = strstr(out, "\ncgroupns=");
		ssize_t k = readlink("/proc/self/ns/cgroup", host_cg, sizeof(host_cg) - 1);

		host_cg[k > 0 ? k : 0] = '\0';
		if (!cg || !strncmp(cg + 10, host_cg, strlen(host_cg)) || strncmp(cg + 10, "cgroup:[", 8)) {
			fprintf(stderr, "    FAIL: UNSHARE(CLONE_NEWCGROUP) in the child: container's %s, host's %s\n",
				cg ? cg + 1 : "(none)", host_cg);
			goto out;
		}
	}
	if (access("/javarun-inside", F_OK) == 0) {
		fprintf(stderr, "    FAIL: MKDIR through a symlink escaped the root: /javarun-inside exists on the host\n");
		goto out;
	}
	if (strcmp(extra, "preserved\n") != 0) {
		fprintf(stderr, "    FAIL: preserved fd 3 carried \"%s\"\n", extra);
		goto out;
	}
	res = 0;
out:
	finish(&r);
	unlink(fifo_path);
	clean_rootfs();
	return res;
}

static int test_move_root(void)
{
	static char out[4096], err[4096];
	struct plan p = { 0 };
	struct run r;
	int res = -1, code;

	OP(&p, "CLONE", u(CLONE_NEWNS | CLONE_NEWPID), "", "", "");
	OP(&p, "ROOT_PROPAGATION", u(MS_REC | MS_PRIVATE));
	OP(&p, "ROOTFS", rootfs);
	OP(&p, "MOUNT", "proc", "/proc", "proc", "0", "");
	OP(&p, "MOVE_ROOT");
	OP(&p, "MOUNT", "tmpfs", "/tmp", "tmpfs", "0", ""); /* resolved in the new "/" */
	OP(&p, "EXEC", "/bin/sh", "-c",
	   "test -x /bin/busybox && test ! -e /work && grep -c ' /tmp tmpfs ' /proc/mounts && echo moved");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_eof(&r) < 0)
		goto out;
	read_all(r.out, out, sizeof(out));
	read_all(r.err, err, sizeof(err));
	code = reap(r.child);
	r.child = 0;
	if (code != 0 || strcmp(out, "1\nmoved\n") != 0) {
		fprintf(stderr, "    FAIL: exit %d, output \"%s\", stderr \"%s\"\n", code, out, err);
		goto out;
	}
	res = 0;
out:
	finish(&r);
	return res;
}

/* The op sequence runtime-core's CreatePlanner emits for `runc spec`'s default config (cgroup v1
 * host, new cgroup namespace), so the planner's order is exercised as a whole. */
static int test_default_spec_order(void)
{
	static char out[16384], err[4096];
	static const char *const ro_paths[] = { "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
						"/proc/sysrq-trigger" };
	static const char *const masked[] = { "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
					      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
					      "/proc/sched_debug", "/sys/firmware", "/proc/scsi" };
	const unsigned long nsd = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	const unsigned long long caps = (1ULL << 29) | (1ULL << 5) | (1ULL << 10);
	struct plan p = { 0 };
	struct run r;
	size_t i;
	int fifo, res = -1, code;
	char c;

	unlink(fifo_path);
	CHECK(mkfifo(fifo_path, 0622) == 0, "mkfifo: %s", strerror(errno));
	OP(&p, "OPEN_EXEC_FIFO", fifo_path);
	OP(&p, "CLONE", u(NS_ALL_BUT_USER), "", "", "");
	OP(&p, "SYNC", "created");
	OP(&p, "UNSHARE", u(CLONE_NEWCGROUP));
	OP(&p, "SETSID");
	OP(&p, "ROOT_PROPAGATION", u(MS_SLAVE | MS_REC));
	OP(&p, "ROOTFS", rootfs);
	OP(&p, "MKDIR", "/proc", "493");
	OP(&p, "MOUNT", "proc", "/proc", "proc", "0", "");
	OP(&p, "MKDIR", "/dev", "493");
	OP(&p, "MOUNT", "tmpfs", "/dev", "tmpfs", u(MS_NOSUID | MS_STRICTATIME), "mode=755,size=65536k");
	OP(&p, "MKDIR", "/dev/pts", "493");
	OP(&p, "MOUNT", "devpts", "/dev/pts", "devpts", u(MS_NOSUID | MS_NOEXEC),
	   "newinstance,ptmxmode=0666,mode=0620,gid=5");
	OP(&p, "MKDIR", "/dev/shm", "493");
	OP(&p, "MOUNT", "shm", "/dev/shm", "tmpfs", u(nsd), "mode=1777,size=65536k");
	OP(&p, "MKDIR", "/dev/mqueue", "493");
	OP(&p, "MOUNT", "mqueue", "/dev/mqueue", "mqueue", u(nsd), "");
	OP(&p, "MKDIR", "/sys", "493");
	OP(&p, "MOUNT", "sysfs", "/sys", "sysfs", u(nsd | MS_RDONLY), "");
	OP(&p, "MKDIR", "/sys/fs/cgroup", "493");
	OP(&p, "MOUNT", "tmpfs", "/sys/fs/cgroup", "tmpfs", u(nsd | MS_RELATIME), "mode=755");
	OP(&p, "MKDIR", "/sys/fs/cgroup/cpu", "493");
	OP(&p, "MOUNT", "cgroup", "/sys/fs/cgroup/cpu", "cgroup", u(nsd | MS_RELATIME | MS_RDONLY), "cpu");
	OP(&p, "MKDIR", "/sys/fs/cgroup/memory", "493");
	OP(&p, "MOUNT", "cgroup", "/sys/fs/cgroup/memory", "cgroup", u(nsd | MS_RELATIME | MS_RDONLY), "memory");
	OP(&p, "REMOUNT", "/sys/fs/cgroup", u(nsd | MS_RELATIME | MS_RDONLY), "");
	OP(&p, "MKNOD", "/dev/null", "c", "1", "3", "438", "0", "0");
	OP(&p, "MKNOD", "/dev/zero", "c", "1", "5", "438", "0", "0");
	OP(&p, "MKNOD", "/dev/full", "c", "1", "7", "438", "0", "0");
	OP(&p, "MKNOD", "/dev/tty", "c", "5", "0", "438", "0", "0");
	OP(&p, "MKNOD", "/dev/random", "c", "1", "8", "438", "0", "0");
	OP(&p, "MKNOD", "/dev/urandom", "c", "1", "9", "438", "0", "0");
	OP(&p, "SYMLINK", "/proc/self/fd", "/dev/fd");
	OP(&p, "SYMLINK", "/proc/self/fd/0", "/dev/stdin");
	OP(&p, "SYMLINK", "/proc/self/fd/1", "/dev/stdout");
	OP(&p, "SYMLINK", "/proc/self/fd/2", "/dev/stderr");
	OP(&p, "SYMLINK", "pts/ptmx", "/dev/ptmx");
	OP(&p, "PIVOT_ROOT");
	OP(&p, "HOSTNAME", "runc");
	OP(&p, "LOOPBACK_UP");
	for (i = 0; i < sizeof(ro_paths) / sizeof(ro_paths[0]); i++)
		OP(&p, "READONLY", ro_paths[i]);
	for (i = 0; i < sizeof(masked) / sizeof(masked[0]); i++)
		OP(&p, "MASK", masked[i]);
	OP(&p, "REMOUNT", "/", u(MS_BIND | MS_RDONLY), "");
	OP(&p, "RLIMIT", "7", "1024", "1024");
	OP(&p, "CAP_BOUNDING", hx(caps));
	OP(&p, "USER", "0", "0", "");
	OP(&p, "CAPS", hx(caps), hx(caps), "0", "0");
	OP(&p, "UMASK", "22");
	OP(&p, "CHDIR", "/");
	OP(&p, "NO_NEW_PRIVS");
	OP(&p, "ENV", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	OP(&p, "ENV", "TERM=xterm");
	OP(&p, "ENV", "HOME=/root");
	OP(&p, "RESOLVE_EXEC", "sh", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	OP(&p, "READY");
	OP(&p, "WAIT_EXEC_FIFO");
	OP(&p, "EXEC", "sh", "-c",
	   "touch /rootfs-write 2>/dev/null && echo root=rw || echo root=ro; "
	   "grep -c ' / ro,' /proc/self/mountinfo; "
	   "grep -c ' /dev/mqueue mqueue ' /proc/mounts; "
	   "grep -c ' /sys/fs/cgroup/cpu cgroup ro,' /proc/mounts; "
	   "grep -c ' /sys/fs/cgroup tmpfs ro,' /proc/mounts; "
	   "cat /proc/self/cgroup | grep -c ':cpu:/$'; "
	   "wc -c </proc/keys; ls /proc/acpi 2>/dev/null | wc -l; "
	   "stat -c %a /dev/null; echo ok");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_word(&r, "SYNC", "created") < 0 ||
	    send_word(r.sock, "GO") < 0 || expect_word(&r, "READY", NULL) < 0 || expect_eof(&r) < 0)
		goto out;
	fifo = open(fifo_path, O_RDONLY | O_CLOEXEC);
	if (fifo < 0 || read(fifo, &c, 1) != 1) {
		fprintf(stderr, "    FAIL: exec FIFO handshake\n");
		goto out;
	}
	close(fifo);
	read_all(r.out, out, sizeof(out));
	read_all(r.err, err, sizeof(err));
	code = reap(r.child);
	r.child = 0;
	if (code != 0 || strcmp(out, "root=ro\n1\n1\n1\n1\n1\n0\n0\n666\nok\n") != 0) {
		fprintf(stderr, "    FAIL: exit %d, stdout:\n%s\nstderr:\n%s\n", code, out, err);
		goto out;
	}
	res = 0;
out:
	finish(&r);
	unlink(fifo_path);
	return res;
}

static int test_userns(void)
{
	static char out[8192], err[8192];
	struct plan p = { 0 };
	struct run r;
	char buf[256], path[64];
	int fd, code;
	ssize_t n;
	unsigned a, b, c;

	OP(&p, "CLONE", u(NS_ALL_BUT_USER | CLONE_NEWUSER), "0 100000 65536", "0 100000 65536", "deny");
	OP(&p, "SYNC", "created");
	/* Host root is not mapped in here: become the namespace's root before creating anything. */
	OP(&p, "USER", "0", "0", "-");
	plan_rootfs_and_dev(&p, 1);
	OP(&p, "PIVOT_ROOT");
	/* Remounts in a user namespace must keep the locked nosuid/nodev/noexec of proc. */
	OP(&p, "READONLY", "/proc/sys");
	OP(&p, "MASK", "/proc/version");
	OP(&p, "MASK", "/proc/scsi");
	OP(&p, "HOSTNAME", "userns");
	OP(&p, "LOOPBACK_UP");
	OP(&p, "ENV", "PATH=/bin");
	OP(&p, "RESOLVE_EXEC", "/bin/sh", "");
	OP(&p, "EXEC", "sh", "-c",
	   "id -u; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups; hostname; "
	   "echo x >/dev/null && echo devnull=ok; stat -c %u /proc/1; wc -c </proc/version; "
	   "grep -c ' /proc/sys ro,nosuid,nodev,noexec' /proc/self/mountinfo");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_word(&r, "SYNC", "created") < 0)
		goto fail;
	snprintf(path, sizeof(path), "/proc/%d/uid_map", r.child);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (sscanf(buf, "%u %u %u", &a, &b, &c) != 3 || a != 0 || b != 100000 || c != 65536) {
		fprintf(stderr, "    FAIL: uid_map at SYNC is \"%s\"\n", buf);
		goto fail;
	}
	if (send_word(r.sock, "GO") < 0 || expect_eof(&r) < 0)
		goto fail;
	read_all(r.out, out, sizeof(out));
	read_all(r.err, err, sizeof(err));
	code = reap(r.child);
	r.child = 0;
	if (code != 0 || err[0]) {
		fprintf(stderr, "    FAIL: container exited %d, stdout:\n%s\nstderr:\n%s\n", code, out, err);
		goto fail;
	}
	{
		char norm[8192];
		size_t i, j = 0;
		int space = 0;

		/* uid_map pads its columns; squeeze the blanks before comparing. */
		for (i = 0; out[i] && j < sizeof(norm) - 1; i++) {
			if (out[i] == ' ') {
				space = 1;
				continue;
			}
			if (space && j && norm[j - 1] != '\n' && out[i] != '\n')
				norm[j++] = ' ';
			space = 0;
			norm[j++] = out[i];
		}
		norm[j] = '\0';
		if (strcmp(norm, "0\n0 100000 65536\n0 100000 65536\ndeny\nuserns\ndevnull=ok\n0\n0\n1\n") != 0) {
			fprintf(stderr, "    FAIL: unexpected output:\n%s\n", out);
			goto fail;
		}
	}
	code = reap(r.helper);
	r.helper = 0;
	if (code != 0) {
		fprintf(stderr, "    FAIL: helper exited %d\n", code);
		goto fail;
	}
	finish(&r);
	return 0;
fail:
	finish(&r);
	return -1;
}

static int test_console(void)
{
	static char out[8192];
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char cbuf[CMSG_SPACE(sizeof(int))], name[64];
	struct iovec iov = { name, sizeof(name) - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct plan p = { 0 };
	struct cmsghdr *cm;
	struct run r;
	int lsock, conn = -1, master = -1, res = -1;
	ssize_t n;
	size_t off = 0;

	unlink(sock_path);
	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(strlen(sock_path) < sizeof(addr.sun_path), "socket path too long: %s", sock_path);
	memcpy(addr.sun_path, sock_path, strlen(sock_path) + 1);
	CHECK(lsock >= 0 && bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) == 0 && listen(lsock, 1) == 0,
	      "console socket %s: %s", sock_path, strerror(errno));
	OP(&p, "CONSOLE_SOCKET", sock_path);
	OP(&p, "CLONE", u(CLONE_NEWNS | CLONE_NEWPID), "", "", "");
	plan_rootfs_and_dev(&p, 0);
	OP(&p, "PIVOT_ROOT");
	OP(&p, "SETSID");
	OP(&p, "CONSOLE");
	OP(&p, "ENV", "PATH=/bin");
	OP(&p, "RESOLVE_EXEC", "sh", "/bin");
	OP(&p, "EXEC", "sh", "-c", "tty; test -t 0 && test -t 2 && echo console-ok");
	if (start(&r, 0) < 0) {
		close(lsock);
		return -1;
	}
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0)
		goto out;
	conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0 || (n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC)) <= 0) {
		fprintf(stderr, "    FAIL: no console master received\n");
		goto out;
	}
	name[n] = '\0';
	cm = CMSG_FIRSTHDR(&msg);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || strcmp(name, "/dev/ptmx") != 0) {
		fprintf(stderr, "    FAIL: bad console message \"%s\"\n", name);
		goto out;
	}
	memcpy(&master, CMSG_DATA(cm), sizeof(int));
	if (expect_eof(&r) < 0)
		goto out;
	/* The slave side hangs up when the container exits: read until EIO. */
	while (off < sizeof(out) - 1 && (n = read(master, out + off, sizeof(out) - 1 - off)) > 0)
		off += (size_t)n;
	out[off] = '\0';
	if (reap(r.child) != 0) {
		r.child = 0;
		fprintf(stderr, "    FAIL: container failed; terminal said:\n%s\n", out);
		goto out;
	}
	r.child = 0;
	if (!strstr(out, "/dev/pts/0") || !strstr(out, "console-ok")) {
		fprintf(stderr, "    FAIL: terminal output:\n%s\n", out);
		goto out;
	}
	res = 0;
out:
	if (master >= 0)
		close(master);
	if (conn >= 0)
		close(conn);
	close(lsock);
	finish(&r);
	unlink(sock_path);
	return res;
}

/* Runs a plan that must fail: ERR with opindex/errno, helper exit code, container exit code
 * (-1: no container expected). */
static int run_failing(const struct plan *p, int opindex, int err, const char *detail, int helper_code,
		       int child_code)
{
	struct run r;
	int code, res = -1;

	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, p) < 0)
		goto out;
	if (child_code >= 0 && expect_pid(&r) < 0)
		goto out;
	if (expect_err(&r, opindex, err, detail) < 0 || expect_eof(&r) < 0)
		goto out;
	code = reap(r.helper);
	r.helper = 0;
	if (code != helper_code) {
		fprintf(stderr, "    FAIL: helper exited %d, expected %d\n", code, helper_code);
		goto out;
	}
	if (child_code >= 0) {
		code = reap(r.child);
		r.child = 0;
		if (code != child_code) {
			fprintf(stderr, "    FAIL: container exited %d, expected %d\n", code, child_code);
			goto out;
		}
	}
	res = 0;
out:
	finish(&r);
	return res;
}

static int test_unknown_op(void)
{
	struct plan p = { 0 };

	OP(&p, "UNSHARE", "0");
	OP(&p, "NO_SUCH_OP", "whatever");
	return run_failing(&p, -1, EINVAL, "unknown op NO_SUCH_OP", 1, -1);
}

static int test_bad_plan(void)
{
	struct plan p = { 0 }, q = { 0 }, t = { 0 };

	OP(&p, "CLONE", "0", "", "", "");
	OP(&p, "MOUNT", "tmpfs", "/tmp");
	if (run_failing(&p, -1, EINVAL, "MOUNT", 1, -1) < 0)
		return -1;
	OP(&q, "MOUNT", "tmpfs", "/tmp", "tmpfs", "0", "");
	if (run_failing(&q, -1, EINVAL, "not valid before CLONE", 1, -1) < 0)
		return -1;
	OP(&t, "CLONE", u(CLONE_NEWNS | 0x80), "", "", "");
	return run_failing(&t, 0, EINVAL, "CLONE_NEWTIME", 1, -1);
}

static int test_helper_phase_error(void)
{
	struct plan p = { 0 };

	OP(&p, "UNSHARE", "0");
	OP(&p, "SETNS", "net", "/nonexistent/ns/net");
	return run_failing(&p, 1, ENOENT, "/nonexistent/ns/net", 1, -1);
}

static int test_mount_missing_target(void)
{
	struct plan p = { 0 };
	int idx;

	OP(&p, "CLONE", u(CLONE_NEWNS), "", "", "");
	OP(&p, "ROOT_PROPAGATION", u(MS_REC | MS_PRIVATE));
	OP(&p, "ROOTFS", rootfs);
	idx = OP(&p, "MOUNT", "tmpfs", "/does/not/exist", "tmpfs", "0", "");
	return run_failing(&p, idx, ENOENT, "mount(\"tmpfs\", \"/does/not/exist\"", 0, 1);
}

static int test_mknod_in_userns(void)
{
	struct plan p = { 0 };
	int idx;

	OP(&p, "CLONE", u(CLONE_NEWUSER | CLONE_NEWNS), "0 100000 65536", "0 100000 65536", "deny");
	OP(&p, "USER", "0", "0", "-");
	OP(&p, "ROOT_PROPAGATION", u(MS_REC | MS_PRIVATE));
	OP(&p, "ROOTFS", rootfs);
	OP(&p, "MOUNT", "tmpfs", "/dev", "tmpfs", "0", "");
	idx = OP(&p, "MKNOD", "/dev/null", "c", "1", "3", u(0666), "0", "0");
	return run_failing(&p, idx, EPERM, "mknodat", 0, 1);
}

static int test_resolve_exec_not_found(void)
{
	struct plan p = { 0 }, q = { 0 };
	int idx;

	OP(&p, "CLONE", "0", "", "", "");
	OP(&p, "CHDIR", "/bin");
	OP(&p, "RESOLVE_EXEC", "sh", "/nonexistent::"); /* the empty entry: found as ./sh */
	OP(&p, "RESOLVE_EXEC", "/bin/sh", "");
	OP(&p, "RESOLVE_EXEC", "./sh", "");
	idx = OP(&p, "RESOLVE_EXEC", "no-such-program", "/nonexistent:/also/missing:");
	OP(&p, "EXEC", "no-such-program");
	if (run_failing(&p, idx, ENOENT, "executable file not found in $PATH", 0, 1) < 0)
		return -1;
	/* No searchpath at all searches nothing, even with ./sh right there. */
	OP(&q, "CLONE", "0", "", "", "");
	OP(&q, "CHDIR", "/bin");
	idx = OP(&q, "RESOLVE_EXEC", "sh", "");
	return run_failing(&q, idx, ENOENT, "executable file not found in $PATH", 0, 1);
}

static int test_exec_fails_before_ready(void)
{
	struct plan p = { 0 };
	int idx;

	OP(&p, "CLONE", "0", "", "", "");
	idx = OP(&p, "EXEC", "/nonexistent/program");
	return run_failing(&p, idx, ENOENT, "execve(\"/nonexistent/program\")", 0, 127);
}

static int test_exec_fails_after_ready(void)
{
	static char err[4096];
	struct plan p = { 0 };
	struct run r;
	int res = -1, code;

	OP(&p, "CLONE", "0", "", "", "");
	OP(&p, "READY");
	OP(&p, "EXEC", "/nonexistent/program", "arg");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_word(&r, "READY", NULL) < 0 ||
	    expect_eof(&r) < 0)
		goto out;
	code = reap(r.child);
	r.child = 0;
	read_all(r.err, err, sizeof(err));
	if (code != 127 || strcmp(err, "javarun: exec /nonexistent/program: No such file or directory\n") != 0) {
		fprintf(stderr, "    FAIL: exit %d, stderr \"%s\"\n", code, err);
		goto out;
	}
	res = 0;
out:
	finish(&r);
	return res;
}

static int test_sync_abort(void)
{
	struct plan p = { 0 };
	struct run r;
	int res = -1, code;

	OP(&p, "CLONE", "0", "", "", "");
	OP(&p, "SYNC", "prestart");
	OP(&p, "EXEC", "/bin/true");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_word(&r, "SYNC", "prestart") < 0 ||
	    send_word(r.sock, "ABORT") < 0 || expect_eof(&r) < 0)
		goto out;
	code = reap(r.child);
	r.child = 0;
	if (code != 1) {
		fprintf(stderr, "    FAIL: aborted container exited %d, expected 1\n", code);
		goto out;
	}
	res = 0;
out:
	finish(&r);
	return res;
}

static int test_oversized_record(void)
{
	struct run r;
	int res = -1, code;
	unsigned char *big = calloc(1, RECORD_MAX + 16);

	/* A datagram over 1 MiB must be refused, not truncated and misread. */
	if (!big || start(&r, 0) < 0)
		return -1;
	big[0] = 1;
	if (send(r.sock, big, RECORD_MAX + 16, MSG_NOSIGNAL) < 0) {
		/* the socket's buffer may refuse it first: then the helper just sees EOF */
		fprintf(stderr, "    (send of oversized record refused: %s)\n", strerror(errno));
		close(r.sock);
		r.sock = -1;
		code = reap(r.helper);
		r.helper = 0;
		res = code == 1 ? 0 : -1;
		goto out;
	}
	if (expect_err(&r, -1, EMSGSIZE, NULL) < 0)
		goto out;
	code = reap(r.helper);
	r.helper = 0;
	res = code == 1 ? 0 : -1;
out:
	free(big);
	finish(&r);
	return res;
}

static int test_large_record(void)
{
	struct plan p = { 0 };
	struct run r;
	char *big = malloc(900 * 1024 + 1);
	int res = -1;

	/* Close to the 1 MiB limit: must arrive whole and decode. */
	if (!big)
		return -1;
	memset(big, 'x', 900 * 1024);
	big[900 * 1024] = '\0';
	OP(&p, "CLONE", "0", "", "", "");
	OP(&p, "WRITE_FILE", "/dev/null", big);
	OP(&p, "EXEC", "/bin/true");
	if (start(&r, 0) < 0)
		goto out;
	if (send_plan(r.sock, &p) < 0) {
		fprintf(stderr, "    FAIL: send: %s\n", strerror(errno));
		goto out_run;
	}
	if (expect_pid(&r) < 0 || expect_eof(&r) < 0)
		goto out_run;
	res = reap(r.child) == 0 && reap(r.helper) == 0 ? 0 : -1;
	r.child = r.helper = 0;
out_run:
	finish(&r);
out:
	free(big);
	return res;
}


/* ---------- seccomp ---------- */

#define ACT_ALLOW "7fff0000"
#define ACT_KILL_THREAD "0"
#define ERRNO(e) "500" #e /* e in hex, two digits */
#define X86_64 "c000003e"
#define X86 "40000003"
#define X32 "4000003e"
#define CMP_EQ "4"

/* A container in its own mount and pid namespaces on the busybox rootfs, up to the SECCOMP op. */
static void plan_seccomp_container(struct plan *p)
{
	OP(p, "CLONE", u(CLONE_NEWNS | CLONE_NEWPID), "", "", "");
	OP(p, "ROOT_PROPAGATION", u(MS_REC | MS_PRIVATE));
	OP(p, "ROOTFS", rootfs);
	OP(p, "MOUNT", "proc", "/proc", "proc", "0", "");
	OP(p, "MOUNT", "tmpfs", "/tmp", "tmpfs", "0", "");
	OP(p, "MOVE_ROOT");
	OP(p, "NO_NEW_PRIVS");
}

/* The hex of the last SECCOMP_PROGRAM a run reported (BPF_MAXINSNS instructions of 8 bytes). */
static char exported_program[4096 * 16 + 1];

/* Runs p to the end; out/err get the container's output; *unknown the names it reported; a
 * SECCOMP_PROGRAM goes to exported_program. */
static int run_seccomp(const struct plan *p, char *out, size_t outcap, char *err, size_t errcap, char *unknown,
		       int *code)
{
	struct record rec;
	struct run r;
	int got, res = -1;

	unknown[0] = '\0';
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, p) < 0 || expect_pid(&r) < 0)
		goto out;
	while ((got = recv_rec(r.sock, &rec)) == 1) {
		uint32_t i;

		if (strcmp(rec.fields[0], "SECCOMP_PROGRAM") == 0 && rec.nfields == 2
		    && strlen(rec.fields[1]) < sizeof(exported_program)) {
			strcpy(exported_program, rec.fields[1]);
			continue;
		}
		CHECK(strcmp(rec.fields[0], "SECCOMP_UNKNOWN") == 0, "unexpected %s", describe(&rec));
		for (i = 1; i < rec.nfields; i++)
			strcat(strcat(unknown, " "), rec.fields[i]);
	}
	CHECK(got == 0, "expected end of stream, got an error/timeout");
	read_all(r.out, out, outcap);
	read_all(r.err, err, errcap);
	*code = reap(r.child);
	r.child = 0;
	res = 0;
out:
	finish(&r);
	return res;
}

static int test_seccomp_errno_args_unknown(void)
{
	static char out[4096], err[4096], unknown[256];
	struct plan p = { 0 };
	int code;

	plan_seccomp_container(&p);
	/* mkdir: EACCES; kill with signal 0 only: EPERM (the default errno); names libseccomp does
	 * not know are reported and skipped; socketcall (x86 only) lands on the x86 part. */
	OP(&p, "SECCOMP", ACT_ALLOW, "0", X86 "," X86_64, "0", "0",
	   "mkdir", ERRNO(0d), "0",
	   "mkdirat", ERRNO(0d), "0",
	   "no_such_syscall", ERRNO(0d), "0",
	   "kill", ERRNO(01), "1", "1", CMP_EQ, "0", "0",
	   "socketcall", ERRNO(01), "0",
	   "also_unknown", ACT_KILL_THREAD, "0");
	OP(&p, "EXEC", "/bin/sh", "-c",
	   "mkdir /tmp/d; echo mkdir=$?; kill -0 $$; echo kill0=$?; kill -CONT $$; echo cont=$?; "
	   "grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
	if (run_seccomp(&p, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	CHECK(code == 0, "exit %d, stderr \"%s\"", code, err);
	CHECK(strcmp(out, "mkdir=1\nkill0=1\ncont=0\nNoNewPrivs:\t1\nSeccomp:\t2\n") == 0, "output \"%s\"", out);
	CHECK(strstr(err, "Permission denied"), "stderr \"%s\"", err);
	CHECK(strcmp(unknown, " no_such_syscall also_unknown") == 0, "unknown names reported: \"%s\"", unknown);
	return 0;
}

/* SECCOMP_EXPORT makes SECCOMP report the program it built; SECCOMP_BPF loads that program as it
 * is, without libseccomp, and the container sees the same filter. A malformed program -> ERR. */
static int test_seccomp_export_and_bpf(void)
{
	static char out[4096], err[4096], unknown[256];
	struct plan p = { 0 }, q = { 0 }, bad = { 0 };
	const char *script = "mkdir /tmp/d; echo mkdir=$?; grep -E '^Seccomp:' /proc/self/status";
	int code, idx;

	/* Enough rules on three architectures, with distinct argument values libseccomp cannot
	 * merge, for a program larger than the helper's usual records. */
	static const char *const more[] = { "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
		"delete_module", "finit_module", "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl",
		"kcmp", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mbind", "mount", "move_pages",
		"name_to_handle_at", "nfsservctl", "open_by_handle_at", "perf_event_open", "personality", "pivot_root",
		"process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl", "reboot", "request_key",
		"set_mempolicy", "setns", "settimeofday", "stime", "swapon", "swapoff", "sysfs", "_sysctl", "umount",
		"umount2", "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old" };
	size_t i;

	exported_program[0] = '\0';
	plan_seccomp_container(&p);
	OP(&p, "SECCOMP_EXPORT");
	idx = OP(&p, "SECCOMP", ACT_ALLOW, "0", X86 "," X86_64 "," X32, "0", "0", "mkdir", ERRNO(0d), "0", "mkdirat",
		 ERRNO(0d), "0");
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		add_field(&p, idx, more[i]);
		add_field(&p, idx, ERRNO(01));
		add_field(&p, idx, "1");
		add_field(&p, idx, "0");
		add_field(&p, idx, CMP_EQ);
		add_field(&p, idx, hx(0x1000 + i));
		add_field(&p, idx, "0");
	}
	OP(&p, "EXEC", "/bin/sh", "-c", script);
	if (run_seccomp(&p, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	CHECK(code == 0 && strcmp(out, "mkdir=1\nSeccomp:\t2\n") == 0, "exit %d, output \"%s\"", code, out);
	/* Over the helper's fixed send buffer (DETAIL_MAX + 256 bytes): sent from a buffer of its own. */
	CHECK(strlen(exported_program) > 4400 && strlen(exported_program) % 16 == 0, "program reported: %zu hex digits",
	      strlen(exported_program));
	plan_seccomp_container(&q);
	OP(&q, "SECCOMP_BPF", "0", exported_program);
	OP(&q, "EXEC", "/bin/sh", "-c", script);
	if (run_seccomp(&q, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	CHECK(code == 0 && strcmp(out, "mkdir=1\nSeccomp:\t2\n") == 0, "SECCOMP_BPF: exit %d, output \"%s\"", code, out);
	CHECK(strstr(err, "Permission denied"), "stderr \"%s\"", err);
	plan_seccomp_container(&bad);
	idx = OP(&bad, "SECCOMP_BPF", "0", "0123456789abcdeX");
	OP(&bad, "EXEC", "/bin/true");
	return run_failing(&bad, idx, EINVAL, "not a hex digit", 0, 1);
}

static int test_seccomp_kill(void)
{
	static char out[4096], err[4096], unknown[256];
	struct plan p = { 0 };
	int code;

	plan_seccomp_container(&p);
	/* Not uname: static glibc asks for the kernel's version before main. */
	OP(&p, "SECCOMP", ACT_ALLOW, "0", "", "0", "0", "sync", ACT_KILL_THREAD, "0");
	OP(&p, "EXEC", "/bin/sh", "-c", "sync; echo sync=$?");
	if (run_seccomp(&p, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	/* The shell survives, its child sync dies of SIGSYS: 128 + 31. */
	CHECK(code == 0 && strcmp(out, "sync=159\n") == 0, "exit %d, output \"%s\", stderr \"%s\"", code, out, err);
	return 0;
}

/* NEW_LISTENER: SECCOMP_FD <n>; the driver plays runtime and agent: pidfd_getfd, GO, then answers
 * the container's mkdir with EROFS. */
static int test_seccomp_notify(void)
{
	static char out[4096], err[4096];
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	struct plan p = { 0 };
	struct record rec;
	struct run r;
	int pidfd = -1, fd = -1, res = -1, code;
	char link[64], target[64];

	plan_seccomp_container(&p);
	OP(&p, "SECCOMP", ACT_ALLOW, u(SECCOMP_FILTER_FLAG_NEW_LISTENER), "", "0", "0",
	   "mkdir", "7fc00000", "0", "mkdirat", "7fc00000", "0");
	OP(&p, "EXEC", "/bin/sh", "-c", "mkdir /tmp/n; echo mkdir=$?");
	if (start(&r, 0) < 0)
		return -1;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0)
		goto out;
	if (recv_rec(r.sock, &rec) != 1 || strcmp(rec.fields[0], "SECCOMP_FD") != 0 || rec.nfields != 2) {
		fprintf(stderr, "    FAIL: expected SECCOMP_FD\n");
		goto out;
	}
	pidfd = (int)syscall(SYS_pidfd_open, r.child, 0);
	fd = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, atoi(rec.fields[1]), 0);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	memset(target, 0, sizeof(target));
	if (fd < 0 || readlink(link, target, sizeof(target) - 1) < 0 || strcmp(target, "anon_inode:seccomp notify")) {
		fprintf(stderr, "    FAIL: fd %s of the container is \"%s\" (%s)\n", rec.fields[1], target,
			strerror(errno));
		goto out;
	}
	if (send_word(r.sock, "GO") < 0 || expect_eof(&r) < 0)
		goto out;
	memset(&req, 0, sizeof(req));
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		fprintf(stderr, "    FAIL: SECCOMP_IOCTL_NOTIF_RECV: %s\n", strerror(errno));
		goto out;
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.error = -EROFS;
	if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0) {
		fprintf(stderr, "    FAIL: SECCOMP_IOCTL_NOTIF_SEND: %s\n", strerror(errno));
		goto out;
	}
	read_all(r.out, out, sizeof(out));
	read_all(r.err, err, sizeof(err));
	code = reap(r.child);
	r.child = 0;
	if (code != 0 || strcmp(out, "mkdir=1\n") != 0 || !strstr(err, "Read-only file system")) {
		fprintf(stderr, "    FAIL: exit %d, output \"%s\", stderr \"%s\"\n", code, out, err);
		goto out;
	}
	/* The container keeps no copy of the listener. */
	res = 0;
out:
	if (fd >= 0)
		close(fd);
	if (pidfd >= 0)
		close(pidfd);
	finish(&r);
	return res;
}

/* The ENOSYS stub: above the highest syscall the profile names (here fanotify_mark, 301, named
 * by a "-" entry that adds no rule), x86_64 syscalls get ENOSYS (setns, 308, for nsenter); below
 * it the filter decides. */
static int test_seccomp_enosys_stub(void)
{
	static char out[4096], err[4096], unknown[256];
	struct plan p = { 0 };
	int code;

	plan_seccomp_container(&p);
	OP(&p, "SECCOMP", ACT_ALLOW, "0", X86_64, "0", "1", "mkdir", ERRNO(0d), "0", "fanotify_mark", "-", "0");
	OP(&p, "EXEC", "/bin/sh", "-c", "nsenter -t 1 -u true 2>&1; echo setns=$?; mkdir /tmp/d 2>&1; echo mkdir=$?");
	if (run_seccomp(&p, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	CHECK(code == 0 && strstr(out, "Function not implemented\nsetns=1\n")
	      && strstr(out, "Permission denied\nmkdir=1\n"), "exit %d, output \"%s\", stderr \"%s\"", code, out, err);
	return 0;
}

static int test_seccomp_errors(void)
{
	struct plan p = { 0 }, q = { 0 }, t = { 0 };
	int idx;

	/* An architecture libseccomp does not know. */
	OP(&p, "CLONE", "0", "", "", "");
	idx = OP(&p, "SECCOMP", ACT_ALLOW, "0", "1234", "0", "0");
	OP(&p, "EXEC", "/bin/true");
	if (run_failing(&p, idx, EINVAL, "seccomp_arch_add(0x1234)", 0, 1) < 0)
		return -1;
	/* A rule cut short. */
	OP(&q, "CLONE", "0", "", "", "");
	idx = OP(&q, "SECCOMP", ACT_ALLOW, "0", "", "0", "0", "mkdir", ERRNO(01), "2", "0", "4", "0");
	OP(&q, "EXEC", "/bin/true");
	if (run_failing(&q, idx, EINVAL, "bad field count", 0, 1) < 0)
		return -1;
	/* A rule with the default action: libseccomp refuses it (Java never plans one). */
	OP(&t, "CLONE", "0", "", "", "");
	idx = OP(&t, "SECCOMP", ERRNO(01), "0", "", "0", "0", "mkdir", ERRNO(01), "0");
	OP(&t, "EXEC", "/bin/true");
	return run_failing(&t, idx, EACCES, "seccomp_rule_add_array(mkdir", 0, 1);
}


/* ---------- confinement: I/O priority, scheduler, personality, LSM labels ---------- */

/* The ops run as root before anything is dropped, as CreatePlanner places them; the shell then
 * reports what it inherited: machine, I/O class, nice and policy (fields 19 and 41 of stat). */
static int test_confine(void)
{
	static char out[4096], err[4096], unknown[256];
	struct plan p = { 0 };
	int code;

	plan_seccomp_container(&p);
	OP(&p, "IOPRIO", "3", "0");
	OP(&p, "SCHEDULER", "3", "0", "7", "0", "0", "0", "0");
	OP(&p, "PERSONALITY", "8");
	OP(&p, "EXEC", "/bin/sh", "-c", "uname -m; ionice; cut -d' ' -f19,41 /proc/self/stat");
	if (run_seccomp(&p, out, sizeof(out), err, sizeof(err), unknown, &code) < 0)
		return -1;
	CHECK(code == 0 && strcmp(out, "i686\nidle\n7 3\n") == 0, "exit %d, output \"%s\", stderr \"%s\"", code, out,
	      err);
	return 0;
}

/* What the kernel refuses is reported with the call: FIFO needs a priority of 1 to 99, and a
 * host without AppArmor or SELinux has no exec attribute to write (Java refuses these first). */
static int test_confine_refused(void)
{
	struct plan p = { 0 }, q = { 0 }, t = { 0 }, u = { 0 };
	int idx;

	OP(&p, "CLONE", "0", "", "", "");
	idx = OP(&p, "SCHEDULER", "1", "0", "0", "0", "0", "0", "0");
	OP(&p, "EXEC", "/bin/true");
	if (run_failing(&p, idx, EINVAL, "sched_setattr(0, {policy 1,", 0, 1) < 0)
		return -1;
	if (access("/sys/kernel/security/apparmor", F_OK) == 0 || access("/sys/fs/selinux/enforce", F_OK) == 0) {
		printf("    (the host has an LSM: exec-attribute refusals not checked)\n");
		return 0;
	}
	OP(&q, "CLONE", "0", "", "", "");
	idx = OP(&q, "APPARMOR", "some-profile");
	OP(&q, "EXEC", "/bin/true");
	if (run_failing(&q, idx, EINVAL, "write(\"/proc/thread-self/attr/exec\", \"exec some-profile\")", 0, 1) < 0)
		return -1;
	OP(&t, "CLONE", "0", "", "", "");
	idx = OP(&t, "SELINUX", "system_u:system_r:container_t:s0");
	OP(&t, "EXEC", "/bin/true");
	if (run_failing(&t, idx, EINVAL, "/proc/thread-self/attr/exec", 0, 1) < 0)
		return -1;
	/* tmpfs keeps security.* attributes even without an LSM: a missing path is what fails. */
	plan_seccomp_container(&u);
	OP(&u, "FILE_LABEL", "/tmp", "system_u:object_r:container_file_t:s0");
	idx = OP(&u, "FILE_LABEL", "/tmp/missing", "system_u:object_r:container_file_t:s0");
	OP(&u, "EXEC", "/bin/true");
	return run_failing(&u, idx, ENOENT, "label \"/tmp/missing\"", 0, 1);
}

/* ---------- cgroups ---------- */

/* The mount point of a cgroup hierarchy from /proc/self/mountinfo: a v1 one carrying
 * `controller` (fstype cgroup), or the v2 one when controller is NULL. 0 when the host has none. */
static int cgroup_mount(const char *controller, char *out, size_t cap)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char mnt[512], fstype[64], super[512];
		char *dash = strstr(line, " - ");

		if (!dash || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1
		    || sscanf(dash + 3, "%63s %*s %511s", fstype, super) != 2)
			continue;
		if (controller ? strcmp(fstype, "cgroup") == 0 && strstr(super, controller)
			       : strcmp(fstype, "cgroup2") == 0) {
			snprintf(out, cap, "%s", mnt);
			found = 1;
		}
	}
	fclose(f);
	return found;
}

/* CGROUP + JOIN_CGROUPS: the container process puts itself into a v1 cgroup (tasks) and the v2
 * one (CLONE_INTO_CGROUP), from inside a new user namespace, through the files the helper opened
 * on the host; /proc/self/cgroup in the container shows both. A v1 cpuset cgroup with no cpus
 * refuses it: ERR at the JOIN_CGROUPS op naming the file. */
static int test_cgroups(void)
{
	static char out[4096], err[4096], v1[600], v2[600], cpuset[600], mnt[512], name[64], want[128];
	struct plan p = { 0 }, q = { 0 };
	struct run r;
	int res = -1, code, have_v1, have_v2, have_cpuset, idx;

	snprintf(name, sizeof(name), "javarun-helper-test-%d", (int)getpid());
	have_v1 = cgroup_mount("pids", mnt, sizeof(mnt));
	snprintf(v1, sizeof(v1), "%s/%s", mnt, name);
	have_v2 = cgroup_mount(NULL, mnt, sizeof(mnt));
	snprintf(v2, sizeof(v2), "%s/%s", mnt, name);
	have_cpuset = cgroup_mount("cpuset", mnt, sizeof(mnt));
	snprintf(cpuset, sizeof(cpuset), "%s/%s", mnt, name);
	if ((have_v1 && mkdir(v1, 0755) < 0) || (have_v2 && mkdir(v2, 0755) < 0)
	    || (have_cpuset && mkdir(cpuset, 0755) < 0)) {
		perror("mkdir test cgroup");
		goto clean;
	}
	if (have_v1)
		OP(&p, "CGROUP", v1, "1");
	if (have_v2)
		OP(&p, "CGROUP", v2, "2");
	OP(&p, "CLONE", u(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID), "0 100000 65536", "0 100000 65536", "deny");
	OP(&p, "JOIN_CGROUPS");
	OP(&p, "USER", "0", "0", "-");
	OP(&p, "EXEC", "/bin/cat", "/proc/self/cgroup");
	if (start(&r, 0) < 0)
		goto clean;
	if (send_plan(r.sock, &p) < 0 || expect_pid(&r) < 0 || expect_eof(&r) < 0) {
		finish(&r);
		goto clean;
	}
	read_all(r.out, out, sizeof(out));
	read_all(r.err, err, sizeof(err));
	code = reap(r.child);
	r.child = 0;
	finish(&r);
	if (code != 0) {
		fprintf(stderr, "    FAIL: exit %d, output \"%s\", stderr \"%s\"\n", code, out, err);
		goto clean;
	}
	snprintf(want, sizeof(want), "pids:/%s\n", name);
	if (have_v1 && !strstr(out, want)) {
		fprintf(stderr, "    FAIL: not in the v1 pids cgroup: \"%s\"\n", out);
		goto clean;
	}
	snprintf(want, sizeof(want), "0::/%s\n", name);
	if (have_v2 && !strstr(out, want)) {
		fprintf(stderr, "    FAIL: not in the v2 cgroup: \"%s\"\n", out);
		goto clean;
	}
	if (!have_v1 && !have_v2)
		printf("    (no cgroup mounts: nothing joined)\n");
	if (have_cpuset) {
		OP(&q, "CGROUP", cpuset, "1");
		OP(&q, "CLONE", u(CLONE_NEWNS), "", "", "");
		idx = OP(&q, "JOIN_CGROUPS");
		OP(&q, "EXEC", "/bin/true");
		if (run_failing(&q, idx, ENOSPC, "/tasks\", \"0\")", 0, 1) < 0)
			goto clean;
	}
	res = 0;
clean:
	if (have_v1)
		rmdir(v1);
	if (have_v2)
		rmdir(v2);
	if (have_cpuset)
		rmdir(cpuset);
	return res;
}

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "full container: time/pid/mnt/uts/ipc/net/cgroup ns, mounts, mknod, pivot, mask, readonly, creds, exec FIFO",
	  test_full_container },
	{ "user namespace: maps 0 100000 65536, setgroups deny, SYNC/GO, bind-mounted /dev/null",
	  test_userns },
	{ "runc's default spec in CreatePlanner's op order (mqueue, cgroup v1, masks, ro root)",
	  test_default_spec_order },
	{ "MOVE_ROOT (--no-pivot): chroot into the moved rootfs", test_move_root },
	{ "console: devpts pty, master over SCM_RIGHTS, slave as controlling terminal", test_console },
	{ "unknown op -> ERR -1 EINVAL", test_unknown_op },
	{ "bad plans (field count, phase, CLONE_NEWTIME) -> ERR, nothing forked", test_bad_plan },
	{ "helper-phase failure (SETNS) -> ERR 1 ENOENT", test_helper_phase_error },
	{ "MOUNT onto a missing path -> ERR <index> ENOENT, container exits 1", test_mount_missing_target },
	{ "MKNOD in a user namespace -> ERR <index> EPERM", test_mknod_in_userns },
	{ "RESOLVE_EXEC not found -> ERR <index> ENOENT", test_resolve_exec_not_found },
	{ "EXEC failure with the socket open -> ERR, exit 127", test_exec_fails_before_ready },
	{ "EXEC failure after READY -> message on stderr, exit 127", test_exec_fails_after_ready },
	{ "SYNC answered with ABORT -> container exits 1", test_sync_abort },
	{ "CGROUP/JOIN_CGROUPS: v1 tasks and v2 CLONE_INTO_CGROUP from a user namespace; empty cpuset -> ERR",
	  test_cgroups },
	{ "900 KiB record -> accepted", test_large_record },
	{ "oversized record -> ERR -1 EMSGSIZE", test_oversized_record },
	{ "SECCOMP: errno rules, an argument condition, x86 names, unknown names reported",
	  test_seccomp_errno_args_unknown },
	{ "SECCOMP_EXPORT reports the program, SECCOMP_BPF loads it as it is; bad hex -> ERR <index>",
	  test_seccomp_export_and_bpf },
	{ "SECCOMP: kill-thread rule -> SIGSYS", test_seccomp_kill },
	{ "SECCOMP: listener -> SECCOMP_FD, pidfd_getfd, GO, a notification answered", test_seccomp_notify },
	{ "SECCOMP: ENOSYS stub above the profile's highest syscall", test_seccomp_enosys_stub },
	{ "SECCOMP: bad architecture, short rule, rule with the default action -> ERR <index>",
	  test_seccomp_errors },
	{ "IOPRIO, SCHEDULER, PERSONALITY: idle I/O, SCHED_BATCH nice 7, i686", test_confine },
	{ "SCHEDULER refused by the kernel, APPARMOR/SELINUX/FILE_LABEL without the LSM -> ERR <index>", test_confine_refused },
};

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	size_t i;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <helper> <rootfs> <scratch dir>\n", argv[0]);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "make test needs root (namespaces, mounts, mknod)\n");
		return 2;
	}
	helper_path = argv[1];
	rootfs = argv[2];
	scratch = argv[3];
	mkdir(scratch, 0755);
	snprintf(fifo_path, sizeof(fifo_path), "%s/exec.fifo", scratch);
	snprintf(sock_path, sizeof(sock_path), "%s/console.sock", scratch);
	snprintf(share_path, sizeof(share_path), "%s/share", scratch);
	mkdir(share_path, 0777);
	chmod(share_path, 0777); /* only the read-only remount may stop uid 1000 from writing */
	{
		char hello[600];

		snprintf(hello, sizeof(hello), "%s/hello", share_path);
		fd = open(hello, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, "world\n", 6) != 6) {
			perror(hello);
			return 2;
		}
		close(fd);
	}
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	alarm(60);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		int r = tests[i].fn();

		printf("%s %zu - %s\n", r == 0 ? "ok" : "not ok", i + 1, tests[i].name);
		fflush(stdout);
		if (r != 0)
			failures++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	{
		char hello[600];

		snprintf(hello, sizeof(hello), "%s/hello", share_path);
		unlink(hello);
		rmdir(share_path);
		unlink(fifo_path);
		unlink(sock_path);
		rmdir(scratch);
	}
	printf("%s: %zu tests, %d failed (%.1f s)\n", failures ? "FAIL" : "PASS", i, failures,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failures ? 1 : 0;
}
