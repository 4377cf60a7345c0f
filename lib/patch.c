// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/*
 * The patchable per-CPU gates of the switch macros and the inline vcpu
 * load/put, and kvmmte_init().
 *
 * The code performs the switch unless a gate instruction has been
 * rewritten, so an image whose init call was forgotten still switches on
 * an MTE CPU (fail closed).  Two tables: on a CPU without MTE2, where all
 * the registers UNDEF, kvmmte_init() rewrites each gate
 * (kvmmte_patch_sites) into a branch over the switch; on a CPU without
 * FEAT_MTE_ASYNC, where only the TFSR registers UNDEF, it rewrites each
 * first TFSR access (kvmmte_patch_sites_async) into a branch over the
 * TFSR moves.  A CPU without MTE2 gets both.
 */
#include <kvmmte/cpu.h>
#include <kvmmte/patch.h>
#include <kvmmte/sysreg.h>
#include <kvmmte/sysreg-access.h>

/*
 * Ensure the sections, and so their __start_/__stop_ symbols, exist even in
 * an image that uses no patchable gate.  {0, 0} entries are skipped.
 */
static const struct kvmmte_patch_site kvmmte_patch_placeholder
	__attribute__((section("kvmmte_patch_sites"), used, aligned(4))) = { 0, 0 };
static const struct kvmmte_patch_site kvmmte_patch_placeholder_async
	__attribute__((section("kvmmte_patch_sites_async"), used, aligned(4))) = { 0, 0 };

/* Defined by the linker for the orphan sections; hidden: PC-relative access. */
extern const struct kvmmte_patch_site __start_kvmmte_patch_sites[]
	__attribute__((visibility("hidden")));
extern const struct kvmmte_patch_site __stop_kvmmte_patch_sites[]
	__attribute__((visibility("hidden")));
extern const struct kvmmte_patch_site __start_kvmmte_patch_sites_async[]
	__attribute__((visibility("hidden")));
extern const struct kvmmte_patch_site __stop_kvmmte_patch_sites_async[]
	__attribute__((visibility("hidden")));

/*
 * Encodings the code emits at a site, and the branch that replaces it.
 * Gates: mrs xN, HCR_EL2 or tbz xN, #56.  First TFSR accesses: mrs xN,
 * TFSR_EL1 (nVHE switch), dsb nsh (VHE entry), mrs xN, TFSRE0_EL1 (VHE
 * exit), msr TFSR_EL12, xN and mrs xN, TFSR_EL12 (VHE load/put).
 */
#define INSN_MRS_HCR_EL2	0xd53c1100u	/* | Rt */
#define INSN_MRS_TFSR_EL1	0xd5385600u	/* | Rt */
#define INSN_MRS_TFSRE0_EL1	0xd5385620u	/* | Rt */
#define INSN_MRS_TFSR_EL12	0xd53d5600u	/* | Rt */
#define INSN_MSR_TFSR_EL12	0xd51d5600u	/* | Rt */
#define INSN_DSB_NSH		0xd503379fu
#define INSN_MRS_RT_MASK	0xffffffe0u
#define INSN_TBZ_BIT56		(0xb6000000u | ((56u - 32u) << 19))	/* tbz xN, #56 */
#define INSN_TBZ_BIT_MASK	0xfff80000u
#define INSN_B			0x14000000u
#define INSN_B_IMM_MASK		0x03ffffffu
#define B_RANGE			(INT64_C(1) << 27)	/* +-128 MiB */

/* Kept in the image's data: which kind of CPU the gates were settled for. */
enum { GATES_UNSETTLED, GATES_SWITCH, GATES_SWITCH_NO_TFSR, GATES_SKIP };
static int kvmmte_gates_state = GATES_UNSETTLED;

static uint32_t *site_addr(const struct kvmmte_patch_site *e)
{
	return (uint32_t *)((uintptr_t)&e->site + (intptr_t)e->site);
}

static uintptr_t skip_addr(const struct kvmmte_patch_site *e)
{
	return (uintptr_t)&e->skip + (intptr_t)e->skip;
}

static int64_t branch_offset(const struct kvmmte_patch_site *e)
{
	return (int64_t)(skip_addr(e) - (uintptr_t)site_addr(e));
}

static uint32_t branch_insn(const struct kvmmte_patch_site *e)
{
	return INSN_B | ((uint32_t)(branch_offset(e) >> 2) & INSN_B_IMM_MASK);
}

static bool placeholder(const struct kvmmte_patch_site *e)
{
	return e->site == 0 && e->skip == 0;
}

static int check_site(const struct kvmmte_patch_site *e)
{
	int64_t off = branch_offset(e);
	uint32_t insn;

	/*
	 * A branch to itself would hang; the macros' skip labels are ahead
	 * of their sites, a compiler may put an inline function's behind.
	 */
	if (off == 0 || off <= -B_RANGE || off >= B_RANGE || (off & 3))
		return -KVMMTE_ERANGE;
	insn = *site_addr(e);
	switch (insn & INSN_MRS_RT_MASK) {
	case INSN_MRS_HCR_EL2:
	case INSN_MRS_TFSR_EL1:
	case INSN_MRS_TFSRE0_EL1:
	case INSN_MRS_TFSR_EL12:
	case INSN_MSR_TFSR_EL12:
		return 0;
	default:
		break;
	}
	if ((insn & INSN_TBZ_BIT_MASK) == INSN_TBZ_BIT56 || insn == INSN_DSB_NSH ||
	    insn == branch_insn(e))
		return 0;
	return -KVMMTE_EINVAL;
}

#ifdef KVMMTE_FAKE_SYSREG
void kvmmte_fake_sync_icache(void *addr);
static void sync_icache(void *addr)
{
	kvmmte_fake_sync_icache(addr);
}
#else
/*
 * Make a rewritten instruction visible to instruction fetch on every CPU
 * in the Inner Shareable domain (Arm ARM, "Concurrent modification and
 * execution of instructions" / cache maintenance for self-modifying code).
 */
static void sync_icache(void *addr)
{
	__asm__ volatile("dc cvau, %0\n\t"
			 "dsb ish\n\t"
			 "ic ivau, %0\n\t"
			 "dsb ish\n\t"
			 "isb"
			 : : "r"(addr) : "memory");
}
#endif

int kvmmte_patch_sites_check(const struct kvmmte_patch_site *begin,
			     const struct kvmmte_patch_site *end)
{
	const struct kvmmte_patch_site *e;
	int ret;

	if (!begin || !end)
		return -KVMMTE_EFAULT;
	if (end < begin)
		return -KVMMTE_EINVAL;
	for (e = begin; e < end; e++) {
		if (placeholder(e))
			continue;
		ret = check_site(e);
		if (ret)
			return ret;
	}
	return 0;
}

int kvmmte_patch_sites_apply(const struct kvmmte_patch_site *begin,
			     const struct kvmmte_patch_site *end)
{
	const struct kvmmte_patch_site *e;
	int n = 0, ret;

	/* Validate everything first so a bad table writes nothing. */
	ret = kvmmte_patch_sites_check(begin, end);
	if (ret)
		return ret;
	for (e = begin; e < end; e++) {
		uint32_t *insn;

		if (placeholder(e))
			continue;
		insn = site_addr(e);
		*(volatile uint32_t *)insn = branch_insn(e);
		sync_icache(insn);
		n++;
	}
	return n;
}

static bool has_sites(const struct kvmmte_patch_site *begin,
		      const struct kvmmte_patch_site *end)
{
	const struct kvmmte_patch_site *e;

	for (e = begin; e < end; e++)
		if (!placeholder(e))
			return true;
	return false;
}

int kvmmte_init(unsigned int flags)
{
	bool gates, tfsr;
	struct kvmmte_caps caps;
	int want, ret;

	if (flags & ~KVMMTE_INIT_FLAGS_VALID)
		return -KVMMTE_EINVAL;

	kvmmte_caps_decode(kvmmte_read_id_aa64pfr1_el1(), &caps);
	if (caps.level < KVMMTE_PFR1_MTE_MTE2)
		want = GATES_SKIP;
	else
		want = caps.async ? GATES_SWITCH : GATES_SWITCH_NO_TFSR;

	if (kvmmte_gates_state != GATES_UNSETTLED) {
		if (kvmmte_gates_state != want)
			return -KVMMTE_EBUSY;
		/*
		 * Another PE patched the text and did the IC IVAU; this one
		 * must still discard what it may have fetched before.
		 */
		if (want != GATES_SWITCH)
			kvmmte_isb();
		return (int)caps.level;
	}

	/* Without MTE2 the TFSR registers are absent too: patch both tables. */
	gates = want == GATES_SKIP && has_sites(__start_kvmmte_patch_sites,
						 __stop_kvmmte_patch_sites);
	tfsr = want != GATES_SWITCH && has_sites(__start_kvmmte_patch_sites_async,
						  __stop_kvmmte_patch_sites_async);
	if (gates || tfsr) {
		if (flags & KVMMTE_INIT_NO_PATCH)
			return -KVMMTE_EROFS;
		/* Check both tables before writing either. */
		ret = kvmmte_patch_sites_check(__start_kvmmte_patch_sites,
					       __stop_kvmmte_patch_sites);
		if (!ret)
			ret = kvmmte_patch_sites_check(__start_kvmmte_patch_sites_async,
						       __stop_kvmmte_patch_sites_async);
		if (ret)
			return ret;
		if (gates)
			kvmmte_patch_sites_apply(__start_kvmmte_patch_sites,
						 __stop_kvmmte_patch_sites);
		if (tfsr)
			kvmmte_patch_sites_apply(__start_kvmmte_patch_sites_async,
						 __stop_kvmmte_patch_sites_async);
	}
	kvmmte_gates_state = want;
	return (int)caps.level;
}
