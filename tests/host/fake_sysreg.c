// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
/* The fake register file behind -DKVMMTE_FAKE_SYSREG: see fake_sysreg.h. */
#include <criterion/criterion.h>
#include <string.h>
#include "fake_sysreg.h"

uint64_t fake_phys[PHYS_COUNT];
struct fake_access fake_log[FAKE_LOG_MAX];
size_t fake_log_len;
unsigned int fake_undef_count;
unsigned int fake_el;

static const char *const phys_names[PHYS_COUNT] = {
	"RGSR_EL1", "GCR_EL1", "TFSR_EL1", "TFSRE0_EL1", "TFSR_EL2", "GMID_EL1",
	"ID_AA64PFR1_EL1", "SCTLR_EL1", "SCTLR_EL2", "HCR_EL2", "SCR_EL3",
};

static const char *const sysreg_names[KVMMTE_SYSREG_ID_COUNT] = {
#define NAME_OF(NAME, name, w) [KVMMTE_SYSREG_ID_##NAME] = #NAME,
	KVMMTE_SYSREG_LIST(NAME_OF)
#undef NAME_OF
};

const char *fake_phys_name(enum fake_phys p)
{
	return p < PHYS_COUNT ? phys_names[p] : "?";
}

const char *fake_sysreg_name(enum kvmmte_sysreg_id id)
{
	return id < KVMMTE_SYSREG_ID_COUNT ? sysreg_names[id] : "?";
}

void fake_cpu(unsigned int el, unsigned int mte_level, bool e2h)
{
	memset(fake_phys, 0, sizeof(fake_phys));
	fake_el = el;
	fake_phys[PHYS_ID_AA64PFR1_EL1] = (uint64_t)mte_level << KVMMTE_PFR1_MTE_SHIFT;
	fake_phys[PHYS_HCR_EL2] = e2h ? KVMMTE_HCR_EL2_E2H : 0;
	fake_phys[PHYS_GMID_EL1] = 4;	/* 16 words: 64 granules per LDGM */
	fake_undef_count = 0;
	fake_log_clear();
}

void fake_log_clear(void)
{
	fake_log_len = 0;
}

static bool mte2(void)
{
	return ((fake_phys[PHYS_ID_AA64PFR1_EL1] & KVMMTE_PFR1_MTE_MASK) >>
		KVMMTE_PFR1_MTE_SHIFT) >= 2;
}

/* FEAT_MTE_ASYNC: the TFSR registers exist. */
static bool async(void)
{
	return mte2() && ((fake_phys[PHYS_ID_AA64PFR1_EL1] & KVMMTE_PFR1_MTE_FRAC_MASK) >>
			  KVMMTE_PFR1_MTE_FRAC_SHIFT) == 0;
}

void fake_cpu_without_async(void)
{
	fake_phys[PHYS_ID_AA64PFR1_EL1] |= (uint64_t)0xf << KVMMTE_PFR1_MTE_FRAC_SHIFT;
}

const struct fake_access *fake_log_nth(size_t n)
{
	size_t j;

	for (j = 0; j < fake_log_len; j++) {
		if (fake_log[j].op == FAKE_READ && fake_log[j].phys == PHYS_ID_AA64PFR1_EL1)
			continue;
		if (n-- == 0)
			return &fake_log[j];
	}
	cr_assert_fail("the log has fewer accesses than asked for");
	return NULL;
}

static bool e2h_at_el2(void)
{
	return fake_el == 2 && (fake_phys[PHYS_HCR_EL2] & KVMMTE_HCR_EL2_E2H);
}

/* The physical register an access by name reaches, or PHYS_COUNT (UNDEF). */
static enum fake_phys resolve(enum kvmmte_sysreg_id id)
{
	switch (id) {
	case KVMMTE_SYSREG_ID_RGSR_EL1:
		return mte2() ? PHYS_RGSR_EL1 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_GCR_EL1:
		return mte2() ? PHYS_GCR_EL1 : PHYS_COUNT;
	/* The TFSR registers: present only with FEAT_MTE_ASYNC. */
	case KVMMTE_SYSREG_ID_TFSRE0_EL1:
		return async() ? PHYS_TFSRE0_EL1 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_TFSR_EL1:
		if (!async())
			return PHYS_COUNT;
		return e2h_at_el2() ? PHYS_TFSR_EL2 : PHYS_TFSR_EL1;
	case KVMMTE_SYSREG_ID_TFSR_EL12:
		return async() && e2h_at_el2() ? PHYS_TFSR_EL1 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_TFSR_EL2:
		return async() && fake_el >= 2 ? PHYS_TFSR_EL2 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_GMID_EL1:
		return mte2() ? PHYS_GMID_EL1 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_ID_AA64PFR1_EL1:
		return PHYS_ID_AA64PFR1_EL1;
	case KVMMTE_SYSREG_ID_SCTLR_EL1:
		return e2h_at_el2() ? PHYS_SCTLR_EL2 : PHYS_SCTLR_EL1;
	case KVMMTE_SYSREG_ID_SCTLR_EL2:
		return fake_el >= 2 ? PHYS_SCTLR_EL2 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_HCR_EL2:
		return fake_el >= 2 ? PHYS_HCR_EL2 : PHYS_COUNT;
	case KVMMTE_SYSREG_ID_SCR_EL3:
		return fake_el == 3 ? PHYS_SCR_EL3 : PHYS_COUNT;
	default:
		return PHYS_COUNT;
	}
}

static void log_access(enum fake_op op, enum kvmmte_sysreg_id id, enum fake_phys p, uint64_t v)
{
	cr_assert(fake_log_len < FAKE_LOG_MAX, "fake register log overflow");
	fake_log[fake_log_len++] = (struct fake_access){ op, id, p, v };
}

uint64_t kvmmte_fake_sysreg_read(enum kvmmte_sysreg_id id)
{
	enum fake_phys p;

	if (id == KVMMTE_SYSREG_ID_CURRENTEL)
		return (uint64_t)fake_el << KVMMTE_CURRENTEL_EL_SHIFT;
	p = resolve(id);
	if (p == PHYS_COUNT) {
		fake_undef_count++;
		log_access(FAKE_READ, id, p, 0);
		return 0;
	}
	log_access(FAKE_READ, id, p, fake_phys[p]);
	return fake_phys[p];
}

void kvmmte_fake_sysreg_write(enum kvmmte_sysreg_id id, uint64_t val)
{
	enum fake_phys p = resolve(id);

	log_access(FAKE_WRITE, id, p, val);
	if (p == PHYS_COUNT || p == PHYS_ID_AA64PFR1_EL1 || p == PHYS_GMID_EL1) {
		fake_undef_count++;
		return;
	}
	fake_phys[p] = val;
}

void kvmmte_fake_isb(void)
{
	log_access(FAKE_ISB, KVMMTE_SYSREG_ID_COUNT, PHYS_COUNT, 0);
}

void kvmmte_fake_sync_icache(void *addr)
{
	log_access(FAKE_ICACHE, KVMMTE_SYSREG_ID_COUNT, PHYS_COUNT, (uint64_t)(uintptr_t)addr);
}

static const char *op_name(enum fake_op op)
{
	static const char *const names[] = { "read", "write", "isb", "icache" };
	return names[op];
}

void fake_expect_log(const struct fake_expect *exp, size_t n)
{
	size_t i = 0, j;

	for (j = 0; j < fake_log_len; j++) {
		const struct fake_access *a = &fake_log[j];

		/* DEBUG builds read these for their precondition checks. */
		if (a->op == FAKE_READ && (a->phys == PHYS_ID_AA64PFR1_EL1 ||
		    (a->phys == PHYS_HCR_EL2 && (i >= n || exp[i].phys != PHYS_HCR_EL2))))
			continue;
		cr_assert(i < n, "unexpected extra access #%zu: %s %s (as %s) = %#llx",
			  i, op_name(a->op), fake_phys_name(a->phys),
			  fake_sysreg_name(a->id), (unsigned long long)a->val);
		cr_assert(a->op == exp[i].op && a->phys == exp[i].phys && a->val == exp[i].val,
			  "access #%zu: expected %s %s = %#llx, got %s %s (as %s) = %#llx",
			  i, op_name(exp[i].op), fake_phys_name(exp[i].phys),
			  (unsigned long long)exp[i].val, op_name(a->op),
			  fake_phys_name(a->phys), fake_sysreg_name(a->id),
			  (unsigned long long)a->val);
		i++;
	}
	cr_assert(i == n, "expected %zu accesses, got %zu; first missing: %s %s = %#llx",
		  n, i, op_name(exp[i < n ? i : 0].op), fake_phys_name(exp[i < n ? i : 0].phys),
		  (unsigned long long)exp[i < n ? i : 0].val);
	cr_assert(fake_undef_count == 0, "%u UNDEFINED register accesses", fake_undef_count);
}
