/*
 * memchild: a test target with exactly known memory.  It talks over
 * stdin/stdout one line at a time so a test can sample it before and after
 * each step:
 *
 *   memchild private SIZE   "started" ... "go" -> maps and touches SIZE
 *                           private anonymous bytes -> "ready"
 *   memchild shared SIZE    maps SIZE MAP_SHARED anonymous (untouched),
 *                           forks; "started PARENT CHILD" ... "go" -> the
 *                           parent writes every page, the child reads
 *                           every page -> "ready"
 *   memchild hold SIZE      maps and touches SIZE private anonymous bytes
 *                           at once -> "ready" (for benchmarks)
 *   memchild zoo FILE       one of every kind of region: three threads
 *                           (each blocked, 64 KiB of stack touched), FILE
 *                           mapped shared and read, 16 MiB MAP_SHARED
 *                           anonymous shared with a forked child, a 4 MiB
 *                           SysV segment, a 2 MiB memfd;
 *                           "started PID CHILD TID1 TID2 TID3" ... "go" ->
 *                           the heap grows by 16 MiB (sbrk, touched) ->
 *                           "ready"
 *   memchild hotcold SIZE   two private anonymous mappings of SIZE, apart:
 *                           a hot one rewritten continuously and a cold
 *                           one written once; "started HOT COLD" (their
 *                           addresses in hex)
 *   memchild fault PAGES    "started" ... "go" -> maps and writes PAGES
 *                           new pages -> "ready MINFLT", MINFLT being the
 *                           minor faults the kernel counted for it meanwhile
 *                           (getrusage)
 *   memchild exit-after MS STATUS
 *                           "started", sleeps MS milliseconds, exits STATUS
 *   memchild churn          "started", then a new thread every 2 ms that
 *                           writes a page of its stack and exits 20 ms
 *                           later, until stdin closes
 *   memchild maps N         N adjacent two-page private anonymous
 *                           mappings (every other one read-only, so the
 *                           kernel cannot merge them), all touched ->
 *                           "ready" (a JVM's or a browser's many
 *                           mappings, for benchmarks)
 *   memchild touch-exit SIZE
 *                           maps and touches SIZE private anonymous bytes
 *                           and exits at once (a long exit teardown)
 *
 * It then waits for stdin to close and exits 0 (the shared child too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

static int
wait_line(const char *want)
{
	char line[64];

	if (fgets(line, sizeof line, stdin) == NULL)
		return -1;
	return strncmp(line, want, strlen(want)) == 0 ? 0 : -1;
}

static void
touch(volatile char *p, size_t size, int write)
{
	size_t i;
	long page = sysconf(_SC_PAGESIZE);
	char sink = 0;

	for (i = 0; i < size; i += (size_t)page) {
		if (write)
			p[i] = (char)(i / (size_t)page) | 1;
		else
			sink += p[i];
	}
	(void)sink;
}

static int
run_private(size_t size, int wait_go)
{
	char *p;

	say("started\n");
	if (wait_go && wait_line("go") < 0)
		return 1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, size, MADV_NOHUGEPAGE);
	touch(p, size, 1);
	say("ready\n");
	wait_line("quit");
	return 0;
}

static int
run_shared(size_t size)
{
	int go[2], done[2];
	char c = 0;
	char *p;
	pid_t child;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED || pipe(go) < 0 || pipe(done) < 0)
		return 1;
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		close(done[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		touch(p, size, 0);
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		/* Stay until the parent goes. */
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	say("started %ld %ld\n", (long)getpid(), (long)child);
	if (wait_line("go") < 0)
		return 1;
	touch(p, size, 1);
	if (write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
		return 1;
	say("ready\n");
	wait_line("quit");
	close(go[1]);
	waitpid(child, NULL, 0);
	return 0;
}

static int zoo_pipe[2];

static void *
zoo_thread(void *arg)
{
	volatile char stack[64 * 1024];
	size_t i;
	char c;

	/* Volatile stores: clang drops a memset of a volatile array cast
	 * to plain memory, and the stack would stay untouched. */
	for (i = 0; i < sizeof stack; i++)
		stack[i] = 1;
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	/* Blocked here until the process ends. */
	if (read(zoo_pipe[0], &c, 1) < 0)
		return NULL;
	return stack[0] ? arg : NULL;
}

static char *
zoo_map_file(const char *path, size_t *size)
{
	struct stat st;
	char *p;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	*size = (size_t)st.st_size;
	p = mmap(NULL, *size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	touch(p, *size, 0);
	return p;
}

static int
run_zoo(const char *file)
{
	const size_t shared = 16 << 20, sysv = 4 << 20, memfd = 2 << 20;
	pthread_t th[3];
	pid_t tids[3] = {0, 0, 0}, child;
	int go[2], done[2], fd, id, i;
	size_t fsize;
	char c = 0, *p, *heap;

	if (pipe(zoo_pipe) < 0 || pipe(go) < 0 || pipe(done) < 0)
		return 1;
	if (zoo_map_file(file, &fsize) == NULL)
		return 1;
	p = mmap(NULL, shared, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	touch(p, shared, 1);
	child = fork();
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		close(done[0]);
		touch(p, shared, 0);
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) > 0)
			;
		_exit(0);
	}
	close(go[0]);
	if (read(done[0], &c, 1) != 1)
		return 1;
	id = shmget(IPC_PRIVATE, sysv, IPC_CREAT | 0600);
	if (id < 0 || (p = shmat(id, NULL, 0)) == (void *)-1)
		return 1;
	shmctl(id, IPC_RMID, NULL); /* gone when we detach */
	touch(p, sysv, 1);
	fd = memfd_create("mtzoo", 0);
	if (fd < 0 || ftruncate(fd, (off_t)memfd) < 0)
		return 1;
	p = mmap(NULL, memfd, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	touch(p, memfd, 1);
	for (i = 0; i < 3; i++)
		if (pthread_create(&th[i], NULL, zoo_thread, &tids[i]) != 0)
			return 1;
	while (tids[0] == 0 || tids[1] == 0 || tids[2] == 0)
		usleep(1000);
	usleep(20000); /* let each thread reach its read */
	say("started %ld %ld %ld %ld %ld\n", (long)getpid(), (long)child,
	    (long)tids[0], (long)tids[1], (long)tids[2]);
	if (wait_line("go") < 0)
		return 1;
	heap = sbrk(16 << 20);
	if (heap == (void *)-1)
		return 1;
	touch(heap, 16 << 20, 1);
	say("ready\n");
	wait_line("quit");
	close(go[1]);
	waitpid(child, NULL, 0);
	return 0;
}

static int
run_hotcold(size_t size)
{
	volatile char *hot;
	char *all;
	size_t i;
	int k;

	/* hot | guard | cold: the guard keeps the kernel from merging the
	 * two into one mapping. */
	all = mmap(NULL, 2 * size + 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED || mprotect(all + size, 4096, PROT_NONE) < 0)
		return 1;
	hot = all;
	touch(all + size + 4096, size, 1);
	touch(all, size, 1);
	say("started %lx %lx\n", (unsigned long)all,
	    (unsigned long)(all + size + 4096));
	for (k = 0;; k++) {
		for (i = 0; i < size; i += 4096)
			hot[i] = (char)k;
		usleep(2000);
	}
	return 0;
}

static int
run_fault(size_t pages)
{
	size_t size = pages * 4096;
	struct rusage r0, r1;
	char *p;

	say("started\n");
	if (wait_line("go") < 0)
		return 1;
	getrusage(RUSAGE_SELF, &r0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, size, MADV_NOHUGEPAGE);
	touch(p, size, 1);
	getrusage(RUSAGE_SELF, &r1);
	say("ready %ld\n", r1.ru_minflt - r0.ru_minflt);
	wait_line("quit");
	return 0;
}

static int
run_maps(size_t n)
{
	const size_t two = 2 * 4096;
	size_t i;
	char *p;

	p = mmap(NULL, n * two, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	madvise(p, n * two, MADV_NOHUGEPAGE);
	touch(p, n * two, 1);
	for (i = 1; i < n; i += 2)
		if (mprotect(p + i * two, two, PROT_READ) < 0)
			return 1;
	say("started\n");
	say("ready\n");
	wait_line("quit");
	return 0;
}

static void *
churn_thread(void *arg)
{
	struct timespec ts = {0, 20000000};
	volatile char page[4096];

	page[0] = 1;
	page[4095] = page[0];
	nanosleep(&ts, NULL);
	return arg;
}

/* A new thread every 2 ms, each living 20 ms. */
static void *
churn_loop(void *arg)
{
	struct timespec ts = {0, 2000000};
	pthread_attr_t attr;
	pthread_t th;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (;;) {
		pthread_create(&th, &attr, churn_thread, NULL);
		nanosleep(&ts, NULL);
	}
	return arg;
}

static int
run_churn(void)
{
	pthread_t th;

	if (pthread_create(&th, NULL, churn_loop, NULL) != 0)
		return 1;
	say("started\n");
	while (wait_line("quit") < 0 && !feof(stdin))
		;
	return 0;
}

int
main(int argc, char **argv)
{
	struct timespec ts;
	long ms;

	if (argc >= 3 && strcmp(argv[1], "private") == 0)
		return run_private(strtoul(argv[2], NULL, 0), 1);
	if (argc >= 3 && strcmp(argv[1], "hold") == 0)
		return run_private(strtoul(argv[2], NULL, 0), 0);
	if (argc >= 3 && strcmp(argv[1], "shared") == 0)
		return run_shared(strtoul(argv[2], NULL, 0));
	if (argc >= 3 && strcmp(argv[1], "hotcold") == 0)
		return run_hotcold(strtoul(argv[2], NULL, 0));
	if (argc >= 3 && strcmp(argv[1], "fault") == 0)
		return run_fault(strtoul(argv[2], NULL, 0));
	if (argc >= 3 && strcmp(argv[1], "maps") == 0)
		return run_maps(strtoul(argv[2], NULL, 0));
	if (argc >= 3 && strcmp(argv[1], "zoo") == 0)
		return run_zoo(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "exit-after") == 0) {
		say("started\n");
		ms = strtol(argv[2], NULL, 10);
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		return atoi(argv[3]);
	}
	if (argc >= 2 && strcmp(argv[1], "churn") == 0)
		return run_churn();
	if (argc >= 3 && strcmp(argv[1], "touch-exit") == 0) {
		size_t size = strtoull(argv[2], NULL, 0);
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 1;
		memset(p, 1, size);
		return 0;
	}
	fprintf(
	    stderr,
	    "usage: memchild private|shared|hold|hotcold SIZE | fault PAGES | "
	    "zoo FILE | maps N | "
	    "exit-after MS STATUS | touch-exit SIZE | churn\n");
	return 2;
}
