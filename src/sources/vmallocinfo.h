/*
 * vmalloc callers from /proc/vmallocinfo (mm/vmalloc.c, s_show()): each
 * line is one vmalloc area with its caller ("func+0x1c/0x80") and, for
 * areas holding pages of their own, "pages=N".  memtrend adds the pages
 * up per caller symbol (the name before '+'), which is what VmallocUsed
 * counts; ioremap, vmap and vm_map_ram areas hold no pages of their own
 * and are left out.  Reading vmallocinfo needs root.
 */
#ifndef MEMTREND_SOURCES_VMALLOCINFO_H
#define MEMTREND_SOURCES_VMALLOCINFO_H

#include "core/kernel.h"
#include "util/error.h"

/* Appends one KCACHE_VMALLOC row per caller symbol of text (a whole
 * vmallocinfo file) to out, kb the pages it holds; page_kb is the page
 * size in KiB.  Returns the number of lines that did not parse. */
unsigned long vmallocinfo_parse(const char *text, double page_kb,
				struct kcache_list *out);

struct vmallocinfo;

int vmallocinfo_open(struct vmallocinfo **out, const char *root,
		     struct error *err);
/* Re-reads the file and appends its rows to s->caches (s->vmalloc_read
 * says it did).  Returns 0 or -errno with a message. */
int vmallocinfo_sample(struct vmallocinfo *vi, struct ksample *s,
		       struct error *err);
/* A one-line note about lines skipped, once; NULL otherwise. */
const char *vmallocinfo_note(struct vmallocinfo *vi);
void vmallocinfo_close(struct vmallocinfo *vi);

#endif
