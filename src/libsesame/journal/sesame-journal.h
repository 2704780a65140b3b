/* sesame-journal.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-audit.h"
#include "sesame-store.h"

G_BEGIN_DECLS

char *sesame_journal_describe_entry    (SesameStore            *self,
                                        const SesameAuditEntry *entry);
char *sesame_journal_dup_operator_name (SesameStore            *self,
                                        const SesameAuditEntry *entry);

G_END_DECLS
