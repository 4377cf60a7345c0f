/* SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause */
/*
 * Bare-metal platform layer for the QEMU "virt" board, at EL2.
 *
 * Shared by the QEMU test harness (tests/target), the examples and the
 * benchmarks.  Not part of libkvmmte.  What it offers:
 *
 *   boot       boot.S: EL2 entry, stack, .bss, a crash-reporting vector
 *              table, then plat_app_main(cmdline); its return value is the
 *              semihosting exit status.
 *   output     PL011 at 0x09000000 (works without set-up under QEMU) and a
 *              small printf: %s %c %d %i %u %x %p, l/ll, width, '-' and '0'.
 *   semihosting  exit status to QEMU, the -append command line.
 *   PRNG       splitmix64 seeding an xorshift64* stream (seeded, portable).
 *   faults     plat_try(): run a function, get control back if it takes an
 *              exception at EL2, with the syndrome recorded.
 *   strings    the memset/memcpy/memcmp compilers may emit calls to.
 *
 * The stage-1 table builder is <mmu.h>, the EL1 register context of a guest
 * <el1ctx.h>, the GIC and EL2 timer <gic.h>, assembly helpers <plat-asm.h>.
 *
 * Memory model: EL2 runs with its MMU off (data accesses are Device-nGnRnE,
 * so everything is built with -mstrict-align) and QEMU models no caches.
 * Real hardware would need cache maintenance for memory EL2 shares with a
 * guest that has its MMU on; see mmu.h.
 */
#ifndef PLAT_PLATFORM_H
#define PLAT_PLATFORM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* QEMU virt memory map (hw/arm/virt.c); RAM size is QEMU's -m (128 MiB default). */
#define PLAT_UART_BASE		0x09000000UL
#define PLAT_GICD_BASE		0x08000000UL
#define PLAT_GICC_BASE		0x08010000UL
#define PLAT_RAM_BASE		0x40000000UL
#define PLAT_RAM_SIZE_MIN	(128UL << 20)

/* Linker-script symbols (linker.ld). */
extern char plat_image_start[], plat_image_end[];

/* ---- the program's entry point ------------------------------------------ */

/*
 * Defined by the program.  @cmdline is QEMU's semihosting command line (the
 * ELF path, a space, then the -append text), or "" if none.  The return
 * value becomes QEMU's exit status.
 */
int plat_app_main(const char *cmdline);

/*
 * ---- more than one CPU ------------------------------------------------------
 * The boot CPU runs plat_app_main(); the others start when it calls
 * plat_cpu_on(): each runs @fn(@arg) on a stack of its own, with the same
 * EL2 baseline, its GIC CPU interface on, and turns itself off (PSCI
 * CPU_OFF) when @fn returns: plat_cpu_running() then says false, and
 * plat_cpu_on() may start it again.  The program ends from the boot
 * CPU.  Indices are MPIDR_EL1.Aff0 (QEMU virt's cluster 0: up to 8 CPUs,
 * all a GICv2 can address).
 */
#define PLAT_MAX_CPUS		8
unsigned int plat_cpu_index(void);
unsigned int plat_nr_cpus(void);	/* the CPUs QEMU has (-smp), by PSCI AFFINITY_INFO */
int plat_cpu_on(unsigned int cpu, void (*fn)(void *), void *arg);	/* PSCI status: 0 */
bool plat_cpu_running(unsigned int cpu);

struct plat_spinlock {
	uint32_t locked;
};
void plat_spin_lock(struct plat_spinlock *l);
void plat_spin_unlock(struct plat_spinlock *l);
bool plat_spin_trylock(struct plat_spinlock *l);

/* ---- output ------------------------------------------------------------- */

void plat_putc(char c);
void plat_puts(const char *s);		/* no newline added */
int plat_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int plat_vprintf(const char *fmt, va_list ap);
/* Formats into @buf (always NUL-terminated if @size > 0); returns length. */
int plat_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int plat_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* ---- semihosting -------------------------------------------------------- */

/* Ends the QEMU run with exit status @code (0..255).  Never returns. */
__attribute__((noreturn)) void plat_exit(int code);
/* Copies the command line into @buf; returns its length or -1. */
int plat_cmdline(char *buf, size_t size);

/*
 * Value of "key=value" in @cmdline (space-separated words).  Copies at most
 * @size - 1 bytes into @val and returns true if the key is present.
 */
bool plat_cmdline_get(const char *cmdline, const char *key, char *val, size_t size);
/* The same, parsed as a number (decimal, or hex with 0x); @def if absent or bad. */
uint64_t plat_cmdline_u64(const char *cmdline, const char *key, uint64_t def);
/* Parses a decimal or 0x-prefixed number; returns false on junk. */
bool plat_parse_u64(const char *s, uint64_t *out);

/* ---- pseudo-random numbers ---------------------------------------------- */

/*
 * Seeded, deterministic, the same on every compiler: a run is replayed
 * exactly from its printed seed.  Not for cryptography.
 */
struct plat_prng {
	uint64_t state;
};

/* splitmix64 step: spreads any seed (0 included) over the state space. */
static inline uint64_t plat_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void plat_prng_seed(struct plat_prng *p, uint64_t seed)
{
	p->state = plat_splitmix64(&seed);
	if (!p->state)		/* xorshift's one fixed point */
		p->state = 1;
}

/* xorshift64* (Vigna): 64 bits per call, the high bits are the good ones. */
static inline uint64_t plat_prng_u64(struct plat_prng *p)
{
	uint64_t x = p->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	p->state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Uniform enough in [0, n) for test selection (n > 0). */
static inline uint32_t plat_prng_below(struct plat_prng *p, uint32_t n)
{
	return (uint32_t)(((plat_prng_u64(p) >> 32) * n) >> 32);
}

/* ---- exceptions taken at EL2 -------------------------------------------- */

/* What the platform records about an unexpected exception at EL2. */
struct plat_fault {
	uint64_t esr, elr, far, spsr;
	unsigned int vector;	/* offset in the vector table / 0x80 */
};

#define PLAT_TRY_FAULTED	(-1000)

/*
 * plat_try() - call @fn(@arg) and return its result; if it takes an
 * exception at EL2 instead, print the syndrome, record it in *@fault (if
 * not NULL) and return PLAT_TRY_FAULTED.  Not nestable.  The callee-saved
 * registers and SP are restored; system registers are not: the caller
 * re-establishes whatever configuration it relies on.
 */
int plat_try(int (*fn)(void *), void *arg, struct plat_fault *fault);

/*
 * plat_try_abort() - leave the running plat_try() now: it returns @ret.
 * For a test that gives up deep inside helpers.  Outside plat_try() the
 * run ends (status 3).
 */
__attribute__((noreturn)) void plat_try_abort(int ret);

/*
 * Entry of the EL2 vector table for exceptions taken from EL2 itself
 * ("current EL").  boot.S installs a table that uses it for every vector;
 * a hypervisor with its own table branches here from its current-EL slots
 * (plat_vector_current_el in <plat-asm.h>).  Outside plat_try() it reports
 * and ends the run with status 3.
 */
void plat_el2_exception(unsigned int vector, uint64_t esr, uint64_t elr,
			uint64_t far, uint64_t spsr);

/* ---- small string functions (also what compilers call) ------------------ */

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* ---- system register access by generic name ----------------------------- */

#define PLAT_STR_(x)	#x
#define PLAT_STR(x)	PLAT_STR_(x)
/* plat_read_sysreg(S3_4_C1_C1_0): any register, any assembler. */
#define plat_read_sysreg(r) ({						\
	uint64_t v_;							\
	__asm__ volatile("mrs %0, " PLAT_STR(r) : "=r"(v_));		\
	v_; })
#define plat_write_sysreg(r, v)						\
	__asm__ volatile("msr " PLAT_STR(r) ", %x0" : : "rZ"((uint64_t)(v)))
static inline void plat_isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

#endif /* PLAT_PLATFORM_H */
