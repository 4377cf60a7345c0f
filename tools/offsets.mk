# SPDX-License-Identifier: GPL-2.0-or-later OR BSD-2-Clause
#
# The offsets generator, installed for consumers (tools/kvmmte-offsets.mk
# defines kvmmte_offsets).  The library's own struct kvmmte_state needs no
# generated header: include/kvmmte/state.h is the one source of its
# offsets, tied to the struct by _Static_assert.

INSTALL_TOOLS += tools/kvmmte-offsets
INSTALL_DATA += tools/kvmmte-offsets.mk
