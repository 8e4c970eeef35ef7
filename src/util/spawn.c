/*
 * Starting a child program (see spawn.h).  An exec failure comes back
 * through a close-on-exec pipe: the pipe closes without a word when exec
 * works, and carries errno when it does not (fork(2), execve(2)).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/spawn.h"

static void
spawn_child(char *const argv[], const struct spawn_opts *o, int errpipe)
{
	int i, code;
	ssize_t n;

	if (o->die_with_parent)
		prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (o->own_group)
		setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
	for (i = 0; i < 3; i++) {
		if (o->fd[i] < 0)
			continue;
		if (o->fd[i] == i)
			fcntl(i, F_SETFD, 0);
		else
			dup2(o->fd[i], i);
	}
	if (o->envp != NULL)
		execve(argv[0], argv, o->envp);
	else
		execvp(argv[0], argv);
	code = errno;
	n = write(errpipe, &code, sizeof code);
	_exit(n < 0 ? 126 : 127);
}

int
spawn_run(pid_t *pid, char *const argv[], const struct spawn_opts *o)
{
	int pipefd[2], code = 0;
	ssize_t n;
	pid_t child;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	child = fork();
	if (child < 0) {
		code = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return -code;
	}
	if (child == 0) {
		close(pipefd[0]);
		spawn_child(argv, o, pipefd[1]);
	}
	close(pipefd[1]);
	do
		n = read(pipefd[0], &code, sizeof code);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n > 0) {
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		return -(code > 0 ? code : EIO);
	}
	*pid = child;
	return 0;
}
