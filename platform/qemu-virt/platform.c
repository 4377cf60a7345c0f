// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * Start-up in C, semihosting, the command line, and unexpected EL2
 * exceptions.
 *
 * Semihosting: "Semihosting for AArch32 and AArch64" (Arm IHI 0087): HLT
 * #0xF000 with the operation in W0 and a parameter block address in X1.
 * QEMU serves it when started with -semihosting.
 */
#include "platform.h"

#define SEMIHOST_SYS_GET_CMDLINE	0x15
#define SEMIHOST_SYS_EXIT		0x18
#define SEMIHOST_ADP_STOPPED_APP_EXIT	0x20026	/* with a status: SYS_EXIT extended */

/* EL2 as the platform leaves it for plat_app_main(). */
#define HCR_EL2_RW		(1UL << 31)	/* lower ELs are AArch64 */
#define SCTLR_EL2_RES1		0x30c50830UL	/* E2H=0 layout, MMU and caches off */
#define SCTLR_EL2_I		(1UL << 12)
#define CNTHCTL_EL2_EL1PCTEN	(1UL << 0)	/* EL1/EL0 may read the physical counter */
#define CNTHCTL_EL2_EL1PCEN	(1UL << 1)

void plat_start(void);
void plat_el2_baseline(void);
void plat_not_el2(void);
__attribute__((noreturn)) void plat_try_unwind(int ret);

static uint64_t semihost_call(uint64_t op, const void *block)
{
	register uint64_t x0 __asm__("x0") = op;
	register uint64_t x1 __asm__("x1") = (uintptr_t)block;

	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

void plat_exit(int code)
{
	const uint64_t block[2] = { SEMIHOST_ADP_STOPPED_APP_EXIT, (uint64_t)code };

	semihost_call(SEMIHOST_SYS_EXIT, block);
	for (;;)		/* without -semihosting: stop here, timeout ends QEMU */
		__asm__ volatile("wfi");
}

int plat_cmdline(char *buf, size_t size)
{
	uint64_t block[2] = { (uintptr_t)buf, size };

	if (!size)
		return -1;
	buf[0] = '\0';
	if (semihost_call(SEMIHOST_SYS_GET_CMDLINE, block) != 0)
		return -1;
	buf[size - 1] = '\0';
	return (int)block[1];
}

bool plat_parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && (*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (unsigned int)((*s | 0x20) - 'a' + 10);
		else
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

bool plat_cmdline_get(const char *cmdline, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		const char *w = p;
		size_t n = 0;

		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - w) > klen && !strncmp(w, key, klen) && w[klen] == '=') {
			for (w += klen + 1; w < p && n + 1 < size; w++)
				val[n++] = *w;
			if (size)
				val[n] = '\0';
			return true;
		}
		while (*p == ' ')
			p++;
	}
	return false;
}

uint64_t plat_cmdline_u64(const char *cmdline, const char *key, uint64_t def)
{
	char val[24];
	uint64_t v;

	if (!plat_cmdline_get(cmdline, key, val, sizeof(val)) || !plat_parse_u64(val, &v))
		return def;
	return v;
}

/* ---- unexpected exceptions ---------------------------------------------- */

/* plat_try()'s saved context; boot.S's TRY_* offsets mirror it. */
struct plat_try_ctx {
	uint64_t regs[13];	/* x19..x30, sp */
	struct plat_fault *fault;
	uint64_t active;
	uint64_t pad;		/* 128 bytes: boot.S indexes by cpu << 7 */
};
_Static_assert(offsetof(struct plat_try_ctx, fault) == 104 &&
	       offsetof(struct plat_try_ctx, active) == 112,
	       "boot.S TRY_FAULT/TRY_ACTIVE out of date");
extern struct plat_try_ctx plat_try_ctx[PLAT_MAX_CPUS];	/* boot.S: 128 bytes each */
_Static_assert(sizeof(struct plat_try_ctx) == 128, "boot.S PLAT_TRY_CTX_SIZE");

static const char *const vector_names[16] = {
	"sync from EL2 (SP_EL0)", "IRQ from EL2 (SP_EL0)", "FIQ from EL2 (SP_EL0)", "SError from EL2 (SP_EL0)",
	"sync from EL2", "IRQ from EL2", "FIQ from EL2", "SError from EL2",
	"sync from lower EL", "IRQ from lower EL", "FIQ from lower EL", "SError from lower EL",
	"sync from lower EL (AArch32)", "IRQ from lower EL (AArch32)",
	"FIQ from lower EL (AArch32)", "SError from lower EL (AArch32)",
};

void plat_el2_exception(unsigned int vector, uint64_t esr, uint64_t elr,
			uint64_t far, uint64_t spsr)
{
	plat_printf("EL2 exception: %s: ESR_EL2 0x%08lx (EC 0x%02lx) ELR_EL2 0x%lx "
		    "FAR_EL2 0x%lx SPSR_EL2 0x%lx\n", vector_names[vector & 15],
		    esr, esr >> 26, elr, far, spsr);
	struct plat_try_ctx *try = &plat_try_ctx[plat_cpu_index()];

	if (try->active) {
		if (try->fault)
			*try->fault = (struct plat_fault){
				.esr = esr, .elr = elr, .far = far, .spsr = spsr,
				.vector = vector,
			};
		plat_try_unwind(PLAT_TRY_FAULTED);
	}
	plat_exit(3);
}

void plat_try_abort(int ret)
{
	if (!plat_try_ctx[plat_cpu_index()].active) {
		plat_puts("plat_try_abort() outside plat_try()\n");
		plat_exit(3);
	}
	plat_try_unwind(ret);
	__builtin_unreachable();
}

/* ---- start-up ------------------------------------------------------------ */

static char plat_cmdline_buf[512];

/*
 * A known EL2 baseline, on every CPU: AArch64 lower ELs and no traps of
 * our own; MMU off, I-cache on; EL1 may read the counter.  Programs build
 * on this.
 */
void plat_el2_baseline(void)
{
	plat_write_sysreg(S3_4_C1_C1_0, HCR_EL2_RW);			/* HCR_EL2 */
	plat_write_sysreg(S3_4_C1_C0_0, SCTLR_EL2_RES1 | SCTLR_EL2_I);	/* SCTLR_EL2 */
	plat_write_sysreg(S3_4_C14_C1_0, CNTHCTL_EL2_EL1PCTEN | CNTHCTL_EL2_EL1PCEN);
	plat_write_sysreg(S3_4_C14_C0_3, 0);				/* CNTVOFF_EL2 */
	plat_isb();
}

void plat_start(void)
{
	plat_el2_baseline();

	if (plat_cmdline(plat_cmdline_buf, sizeof(plat_cmdline_buf)) < 0)
		plat_cmdline_buf[0] = '\0';
	plat_exit(plat_app_main(plat_cmdline_buf));
}

void plat_not_el2(void)
{
	plat_puts("platform: not started at EL2 (QEMU needs -M virt,virtualization=on)\n");
	plat_exit(2);
}
