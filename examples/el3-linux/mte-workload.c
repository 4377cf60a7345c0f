// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * mte-workload [SECONDS [PROCESSES]] — a Linux userspace MTE workload for
 * examples/el3-linux (issue 16, item 3).  Static aarch64 program, run by
 * the initramfs's /init.
 *
 * Forks PROCESSES children (default 4).  Each sets its own tag include mask
 * and tag-check mode with prctl(PR_SET_TAGGED_ADDR_CTRL) (sync, async, and
 * both bits — Linux then picks per CPU, "asymmetric" in the terms),
 * and until SECONDS (default 2) have passed:
 *   - generates tags with IRG and checks each one is inside its own mask
 *     (the kernel's GCR_EL1 for this task, switched per process);
 *   - tags PROT_MTE memory with STG, and later reads the tags back with LDG
 *     and loads through the tagged pointers (checked accesses);
 *   - provokes one synchronous fault (wrong tag under PR_MTE_TCF_SYNC) and
 *     one asynchronous fault (wrong tag under PR_MTE_TCF_ASYNC, then a
 *     syscall so the kernel delivers it), and catches them as SIGSEGV with
 *     SEGV_MTESERR / SEGV_MTEAERR.
 * A fault the child did not provoke is foreign: counted, and the child
 * stops.  QEMU 7.2 keeps one tag per 4 KiB page (QEMU issue 1416), so the
 * program probes that first and then uses one tag per page (the checks
 * read every granule back all the same).
 *
 * The last line is "mte-workload: PASS: ..." or "mte-workload: FAIL: ...";
 * exit status 0 only on PASS.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef HWCAP2_MTE
#define HWCAP2_MTE		(1UL << 18)
#endif
#ifndef SEGV_MTEAERR
#define SEGV_MTEAERR		8
#endif
#ifndef SEGV_MTESERR
#define SEGV_MTESERR		9
#endif

#define GRANULE			16UL
#define PAGE			4096UL
#define REGION_PAGES		8UL
#define REGION			(REGION_PAGES * PAGE)
#define MAX_PROCS		16

struct stats {
	unsigned long irg_tags;		/* tags generated with IRG */
	unsigned long irg_outside;	/* ... that fell outside the mask */
	unsigned long tag_checks;	/* LDG read-backs plus checked loads */
	unsigned long tag_wrong;	/* LDG read a tag other than the one set */
	unsigned long data_wrong;	/* a checked load read other data */
	unsigned long sync_provoked, sync_caught;
	unsigned long async_provoked, async_caught;
	unsigned long foreign;		/* faults nobody provoked */
	unsigned long setup_errors;
	int foreign_code;
	unsigned int mask;
	const char *mode;
	int done;
};

static struct stats *stats;		/* shared with the parent */
static struct stats *me;
static volatile sig_atomic_t expect;	/* SEGV_MTESERR/AERR while provoking */
static sigjmp_buf provoke_env;

static inline uint64_t tag_of(uint64_t p) { return (p >> 56) & 0xf; }
static inline uint64_t with_tag(uint64_t p, uint64_t t)
{
	return (p & ~(0xfUL << 56)) | (t << 56);
}

static inline uint64_t irg(uint64_t p)
{
	uint64_t r;

	asm volatile(".arch armv8.5-a+memtag\n\tirg %0, %1" : "=r"(r) : "r"(p));
	return r;
}

static inline void stg(uint64_t p)
{
	asm volatile(".arch armv8.5-a+memtag\n\tstg %0, [%0]" : : "r"(p) : "memory");
}

static inline uint64_t ldg(uint64_t p)
{
	uint64_t r = p;

	asm volatile(".arch armv8.5-a+memtag\n\tldg %0, [%1]" : "+r"(r) : "r"(p) : "memory");
	return tag_of(r);
}

static int set_ctrl(unsigned long tcf, unsigned int mask)
{
	return prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE | tcf |
		     ((unsigned long)mask << PR_MTE_TAG_SHIFT), 0, 0, 0);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	if (expect && si->si_code == expect) {
		expect = 0;
		siglongjmp(provoke_env, 1);
	}
	/* Not ours: a sync fault would repeat forever, so stop here. */
	me->foreign++;
	me->foreign_code = si->si_code;
	me->done = 1;
	_exit(3);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Distinct include masks, tag 0 never included (it is the untagged tag). */
static const unsigned int masks[MAX_PROCS] = {
	0xfffe, 0x00f0, 0x0f02, 0xa5a4, 0x3c3c, 0x5aa0, 0x8006, 0x7770,
	0x0ffe, 0xf00e, 0x1248, 0x4820, 0x6666, 0x9990, 0x00fe, 0xfe00,
};

static const struct { unsigned long tcf; const char *name; } modes[] = {
	{ PR_MTE_TCF_SYNC, "sync" },
	{ PR_MTE_TCF_ASYNC, "async" },
	{ PR_MTE_TCF_SYNC | PR_MTE_TCF_ASYNC, "sync|async" },
};

/* One tag per granule, or one per page (QEMU 7.2). */
static unsigned long step;

static void provoke(uint64_t good, unsigned int mask, unsigned long base_tcf)
{
	/* A tag that differs from the memory's: outside the mask is fine. */
	uint64_t bad = with_tag(good, (tag_of(good) + 1) & 0xf);

	if (set_ctrl(PR_MTE_TCF_SYNC, mask)) {
		me->setup_errors++;
		return;
	}
	me->sync_provoked++;
	if (!sigsetjmp(provoke_env, 1)) {
		expect = SEGV_MTESERR;
		asm volatile("" ::: "memory");
		(void)*(volatile uint64_t *)bad;
		expect = 0;	/* no fault: the count says so */
	} else {
		me->sync_caught++;
	}

	if (set_ctrl(PR_MTE_TCF_ASYNC, mask)) {
		me->setup_errors++;
		return;
	}
	me->async_provoked++;
	if (!sigsetjmp(provoke_env, 1)) {
		expect = SEGV_MTEAERR;
		asm volatile("" ::: "memory");
		*(volatile uint64_t *)bad = 0;
		syscall(SYS_getppid);	/* the kernel delivers it on the way back */
		expect = 0;
	} else {
		me->async_caught++;
	}

	if (set_ctrl(base_tcf, mask))
		me->setup_errors++;
}

static void child(int idx, double secs)
{
	unsigned int mask = masks[idx % MAX_PROCS];
	unsigned long tcf = modes[idx % 3].tcf;
	uint64_t expected[REGION / GRANULE];
	struct sigaction sa;
	double end = now() + secs;
	char *mem;

	me = &stats[idx];
	me->mask = mask;
	me->mode = modes[idx % 3].name;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);

	if (set_ctrl(tcf, mask)) {
		fprintf(stderr, "mte-workload[%d]: prctl(%s, %#x): %s\n",
			idx, me->mode, mask, strerror(errno));
		me->setup_errors++;
		return;
	}
	mem = mmap(NULL, REGION, PROT_READ | PROT_WRITE | PROT_MTE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		me->setup_errors++;
		return;
	}

	for (unsigned long round = 0; now() < end; round++) {
		uint64_t base = (uint64_t)mem;

		for (unsigned long off = 0; off < REGION; off += step) {
			uint64_t t = irg(base + off);

			me->irg_tags++;
			if (!((mask >> tag_of(t)) & 1))
				me->irg_outside++;
			for (unsigned long g = 0; g < step; g += GRANULE) {
				stg(t + g);
				*(volatile uint64_t *)(t + g) = round ^ (off + g);
			}
			expected[off / step] = tag_of(t);
		}
		sched_yield();	/* let the other processes and the CPU mix */
		for (unsigned long off = 0; off < REGION; off += step) {
			uint64_t t = expected[off / step];

			for (unsigned long g = 0; g < step; g += GRANULE) {
				me->tag_checks += 2;
				if (ldg(base + off + g) != t)
					me->tag_wrong++;
				if (*(volatile uint64_t *)with_tag(base + off + g, t) !=
				    (round ^ (off + g)))
					me->data_wrong++;
			}
		}
		provoke(with_tag(base, expected[0]), mask, tcf);
	}
	me->done = 1;
}

/*
 * Give every granule of two pages its own tag and read them all back: on
 * QEMU 7.2 the last tag written to a page is what every granule reads.
 */
static int per_granule_tags(void)
{
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE | PROT_MTE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t base = (uint64_t)p;
	int ok = 1;

	if (p == MAP_FAILED)
		return -1;
	for (unsigned long g = 0; g < 2 * PAGE / GRANULE; g++)
		stg(with_tag(base + g * GRANULE, 1 + g % 15));
	for (unsigned long g = 0; g < 2 * PAGE / GRANULE; g++)
		if (ldg(base + g * GRANULE) != 1 + g % 15)
			ok = 0;
	munmap(p, 2 * PAGE);
	return ok;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	int nprocs = argc > 2 ? atoi(argv[2]) : 4;
	struct stats sum = { 0 };
	int failed_children = 0, gran;
	double start = now();

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (nprocs < 1 || nprocs > MAX_PROCS) {
		printf("mte-workload: FAIL: processes must be 1..%d\n", MAX_PROCS);
		return 1;
	}
	if (!(getauxval(AT_HWCAP2) & HWCAP2_MTE)) {
		printf("mte-workload: FAIL: no HWCAP2_MTE\n");
		return 1;
	}
	gran = per_granule_tags();
	if (gran < 0) {
		printf("mte-workload: FAIL: mmap(PROT_MTE): %s\n", strerror(errno));
		return 1;
	}
	step = gran ? GRANULE : PAGE;
	printf("mte-workload: tag storage is per %s (%s), %d processes, %.1f s\n",
	       gran ? "16-byte granule" : "4 KiB page",
	       gran ? "checking every granule" : "QEMU issue 1416: one tag per page",
	       nprocs, secs);

	stats = mmap(NULL, sizeof(*stats) * MAX_PROCS, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stats == MAP_FAILED) {
		printf("mte-workload: FAIL: mmap: %s\n", strerror(errno));
		return 1;
	}
	for (int i = 0; i < nprocs; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			child(i, secs);
			_exit(0);
		}
		if (pid < 0) {
			printf("mte-workload: FAIL: fork: %s\n", strerror(errno));
			return 1;
		}
	}
	for (int i = 0; i < nprocs; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed_children++;
	}

	for (int i = 0; i < nprocs; i++) {
		struct stats *s = &stats[i];

		printf("mte-workload[%d]: mask %#06x %-10s %lu IRG tags (%lu outside), "
		       "%lu tag checks (%lu tags, %lu data wrong), sync %lu/%lu, "
		       "async %lu/%lu caught, %lu foreign%s\n", i, s->mask,
		       s->mode ? s->mode : "?", s->irg_tags, s->irg_outside,
		       s->tag_checks, s->tag_wrong, s->data_wrong,
		       s->sync_caught, s->sync_provoked, s->async_caught,
		       s->async_provoked, s->foreign, s->done ? "" : ", did not finish");
		if (s->foreign)
			printf("mte-workload[%d]: foreign SIGSEGV si_code %d\n", i,
			       s->foreign_code);
		sum.irg_tags += s->irg_tags;
		sum.irg_outside += s->irg_outside;
		sum.tag_checks += s->tag_checks;
		sum.tag_wrong += s->tag_wrong;
		sum.data_wrong += s->data_wrong;
		sum.sync_provoked += s->sync_provoked;
		sum.sync_caught += s->sync_caught;
		sum.async_provoked += s->async_provoked;
		sum.async_caught += s->async_caught;
		sum.foreign += s->foreign;
		sum.setup_errors += s->setup_errors;
		sum.done += s->done;
	}

	char why[512] = "";
	size_t n = 0;
#define WHY(cond, fmt, ...) do { if (cond) n += snprintf(why + n, sizeof(why) - n, \
		"%s" fmt, n ? "; " : "", __VA_ARGS__); } while (0)
	WHY(sum.irg_outside, "%lu IRG tags outside their masks", sum.irg_outside);
	WHY(sum.tag_wrong, "%lu tags read back wrong", sum.tag_wrong);
	WHY(sum.data_wrong, "%lu data words wrong", sum.data_wrong);
	WHY(sum.sync_caught != sum.sync_provoked, "%lu of %lu sync faults caught",
	    sum.sync_caught, sum.sync_provoked);
	WHY(sum.async_caught != sum.async_provoked, "%lu of %lu async faults caught",
	    sum.async_caught, sum.async_provoked);
	WHY(!sum.sync_provoked || !sum.async_provoked || !sum.irg_tags,
	    "nothing provoked or generated%s", "");
	WHY(sum.foreign, "%lu foreign faults", sum.foreign);
	WHY(sum.setup_errors, "%lu prctl/mmap errors", sum.setup_errors);
	WHY(failed_children || sum.done != nprocs,
	    "%d children failed", failed_children);

	if (n) {
		printf("mte-workload: FAIL: %s\n", why);
		return 1;
	}
	printf("mte-workload: PASS: %d processes, %lu IRG tags all inside their masks, "
	       "%lu tag checks, %lu sync + %lu async faults provoked and caught, "
	       "0 foreign (%.1f s)\n", nprocs, sum.irg_tags, sum.tag_checks,
	       sum.sync_caught, sum.async_caught, now() - start);
	return 0;
}
