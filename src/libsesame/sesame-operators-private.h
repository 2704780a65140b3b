/* sesame-operators-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core's other modules need of the operators' sign-in.
 */
#pragma once

#include "sesame-audit.h"
#include "sesame-operators.h"

G_BEGIN_DECLS

/* A translated sentence for an audit entry whose action starts with
 * "operator-": setting up, invitations, enrolments and sign-ins. */
char *_sesame_operators_describe_audit (const SesameAuditEntry *entry);

G_END_DECLS
