// SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
// A C++ VMM includes the public headers: they must compile as C++ too.
#include <kvmmte/kvmmte.h>
#include <kvmmte/sysreg-access.h>

int consumer_cxx(void)
{
	struct kvmmte_caps caps;

	return kvmmte_caps_decode(0x300, &caps);
}
