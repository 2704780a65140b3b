/* sesame-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core's modules share about the store. Never included by the
 * application or the command-line tool: they go through the public API.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-store-private.h belongs to the core and its tests: include sesame.h"
#endif

#include <sqlite3.h>

#include "sesame-error.h"
#include "sesame-store.h"
#include "sesame-store-language.h"
#include "sesame-store-operator.h"
#include "sesame-store-settings.h"
#include "sesame-types-private.h"

G_BEGIN_DECLS

/* sesame-store-schema.c */
guint          _sesame_store_schema_version   (void);
const char    *_sesame_store_schema_migration (guint to_version);

/* sesame-store-file.c */
/* The name of the network or FUSE filesystem of statfs() magic @magic, or
 * NULL for a filesystem on the desk's own disk. */
const char    *_sesame_store_network_filesystem (guint32     magic);
/* Refuses a store at @path on the filesystem of statfs() magic @magic. */
gboolean       _sesame_store_check_filesystem (const char   *path,
                                               guint32       magic,
                                               GError      **error);

/* sesame-store.c */
sqlite3       *_sesame_store_get_db           (SesameStore  *self);

/* A cached prepared statement, reset and with its bindings cleared. Owned
 * by the store: do not finalize it. */
sqlite3_stmt  *_sesame_store_prepare          (SesameStore  *self,
                                               const char   *sql,
                                               GError      **error);
gboolean       _sesame_store_exec             (SesameStore  *self,
                                               const char   *sql,
                                               GError      **error);
/* Steps a statement that returns no row (or whose rows are ignored). */
gboolean       _sesame_store_step_done        (SesameStore  *self,
                                               sqlite3_stmt *stmt,
                                               GError      **error);
void           _sesame_store_set_error        (SesameStore  *self,
                                               GError      **error);

/* Write transactions (BEGIN IMMEDIATE); nested calls join the outer one. */
gboolean       _sesame_store_begin            (SesameStore  *self,
                                               GError      **error);
gboolean       _sesame_store_begin_read       (SesameStore  *self,
                                               GError      **error);
gboolean       _sesame_store_commit           (SesameStore  *self,
                                               GError      **error);
gboolean       _sesame_store_commit_large     (SesameStore  *self,
                                               GError      **error);
void           _sesame_store_wait_for_checkpoint (SesameStore *self);
void           _sesame_store_rollback         (SesameStore  *self);

/* A store opened to read only still records who signs in on it. */
SesameStore *_sesame_store_open_recorder (SesameStore  *self,
                                          gboolean      patient,
                                          GError      **error);

/* sesame-store-audit.c */
/* The detail of a "set-login" entry: the old login, this, the new one. */
#define SESAME_AUDIT_LOGIN_CHANGE " → "

/* Appends to the audit trail inside the current transaction. detail must
 * never hold a password. */
gboolean       _sesame_store_audit            (SesameStore  *self,
                                               const char   *action,
                                               const char   *target,
                                               const char   *detail,
                                               GError      **error);

/* sesame-store-ids.c */
/* A new global key for a row: a time-ordered UUID. */
char          *_sesame_new_id                 (void);

/* sesame-store-operator.c */
/* Acts as this operator without proof: only for the owner, for code that
 * already holds the proof, and for tests. See sesame_operators_sign_in(). */
gboolean       _sesame_store_set_operator_trusted (SesameStore  *self,
                                                   const char   *login,
                                                   GError      **error);

/* Whether this person would hold any right if signed in. */
gboolean       _sesame_store_key_is_operator  (SesameStore  *self,
                                               const char   *key);

/* The name the audit trail records for the current operator. */
const char    *_sesame_store_operator_name    (SesameStore  *self);

/* Checks that the acting operator may do this in this establishment. */
gboolean       _sesame_store_check_establishment (SesameStore      *self,
                                                  SesamePermission  permission,
                                                  const char       *uai,
                                                  GError          **error);

/* sesame-store-reach.c */
/* What the acting operator reaches: see _sesame_store_get_reach(). */
typedef enum
{
  SESAME_REACH_NONE,
  SESAME_REACH_ALL,
  SESAME_REACH_ESTABLISHMENTS,
  SESAME_REACH_CLASSES,
} SesameReach;

typedef struct
{
  SesameReach  kind;
  gboolean     admin;
  char        *uais; /* SESAME_REACH_ESTABLISHMENTS: a JSON array of UAIs */
} SesameOperatorReach;

void           _sesame_store_get_reach        (SesameStore         *self,
                                               SesameOperatorReach *reach);
void           _sesame_operator_reach_clear   (SesameOperatorReach *reach);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SesameOperatorReach, _sesame_operator_reach_clear)

gboolean       _sesame_store_reach_can        (const SesameOperatorReach *reach,
                                               SesamePermission           permission);
gboolean       _sesame_store_reach_has_uai    (const SesameOperatorReach *reach,
                                               const char                *uai);

char          *_sesame_store_scope_condition  (SesameStore               *self,
                                               const SesameOperatorReach *reach,
                                               const char                *person,
                                               GPtrArray                 *params);

char          *_sesame_store_scope_set_condition (SesameStore               *self,
                                                  const SesameOperatorReach *reach,
                                                  const char                *person,
                                                  GPtrArray                 *params);

gboolean       _sesame_store_reach_has_person (SesameStore               *self,
                                               const SesameOperatorReach *reach,
                                               const char                *target_key);

/* Whether the target person is within the operator's reach. */
gboolean       _sesame_store_in_scope         (SesameStore  *self,
                                               const char   *target_key);

/* Whether the operator holds the identifier manager role, and its scope. */
gboolean       _sesame_store_get_manager_scope (SesameStore    *self,
                                                SesameRoleScope *scope);

/* sesame-store-language.c */
/* Takes the store's document language for this thread, until
 * _sesame_document_language_pop(). */
void           _sesame_store_push_document_language (SesameStore *self);

static inline const char *
_sesame_column_text (sqlite3_stmt *stmt,
                     int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return text ? text : "";
}

G_END_DECLS
