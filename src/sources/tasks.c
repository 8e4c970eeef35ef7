/*
 * The threads of a process from /proc/PID/task (see tasks.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "sources/tasks.h"

int
tasks_each(int task_fd, tasks_fn fn, void *ctx)
{
	struct dirent *de;
	DIR *dir;
	int fd, rc = 0;
	long tid;

	/* A DIR owns its fd: list a duplicate so task_fd stays open. */
	fd = dup(task_fd);
	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return rc;
	}
	rewinddir(dir);
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		tid = strtol(de->d_name, NULL, 10);
		if (tid > 0)
			rc = fn(ctx, (pid_t)tid);
	}
	closedir(dir);
	return rc;
}
