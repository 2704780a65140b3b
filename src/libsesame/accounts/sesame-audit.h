/* sesame-audit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameAuditEntry:
 * @id: the entry's UUID
 * @at: when, in seconds since the Unix epoch
 * @operator: who acted (a login, or the owner's user name)
 * @action: what was done, a token such as `reset-password`
 * @target: on whom or what (a login, a file, an establishment)
 * @detail: more about it; never a password
 * @printed_at: for a regenerated password, when the same operator printed
 *   that account's slip afterwards (0: not printed); 0 for other entries
 *
 * One entry of the audit trail, which the core writes for every operation
 * on an account, a file, a role or the store's settings, and never changes
 * afterwards.
 */
typedef struct
{
  char   *id;
  gint64  at;
  char   *operator;
  char   *action;
  char   *target;
  char   *detail;
  gint64  printed_at;
} SesameAuditEntry;

/* The detail of an action done at the desk ("reset-password",
 * "show-login"): whether the operator checked the person's identity. */
#define SESAME_AUDIT_IDENTITY_CHECKED     "identity-checked"
#define SESAME_AUDIT_IDENTITY_NOT_CHECKED "identity-not-checked"

#define SESAME_TYPE_AUDIT_ENTRY (sesame_audit_entry_get_type ())

GType             sesame_audit_entry_get_type  (void) G_GNUC_CONST;
SesameAuditEntry *sesame_audit_entry_copy      (const SesameAuditEntry *entry);
void              sesame_audit_entry_free      (SesameAuditEntry       *entry);
char             *sesame_audit_entry_dup_print_logins  (const SesameAuditEntry *entry);

GPtrArray        *sesame_audit_list            (SesameStore  *self,
                                                gboolean      own_history_only,
                                                guint         limit,
                                                GError      **error);
GPtrArray        *sesame_audit_list_about       (SesameStore        *self,
                                                 const char * const *targets,
                                                 gboolean            own_history_only,
                                                 guint               limit,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameAuditEntry, sesame_audit_entry_free)

G_END_DECLS
