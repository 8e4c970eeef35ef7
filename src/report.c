#include "config.h"
#include <errno.h>

#include "report.h"
int
report_run(const struct plot_opts *o, struct error *err)
{
	(void)o;
	return error_set(err, ENOSYS, "not yet");
}
