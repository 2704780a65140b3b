/* sesame-roles.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameRoleGrant:
 * @login: the login of the member of staff holding the role
 * @key: their directory key
 * @name: their name, "First LAST"
 * @role: "admin" or "manager" ("Gestionnaire des identifiants")
 * @scope: the scope of the role
 * @granted_by: who granted it
 * @granted_at: when, in seconds since the Unix epoch
 */
typedef struct
{
  char            *login;
  char            *key;
  char            *name;
  char            *role;
  SesameRoleScope  scope;
  char            *granted_by;
  gint64           granted_at;
} SesameRoleGrant;

#define SESAME_TYPE_ROLE_GRANT (sesame_role_grant_get_type ())

GType            sesame_role_grant_get_type (void) G_GNUC_CONST;
SesameRoleGrant *sesame_role_grant_copy     (const SesameRoleGrant *grant);
void             sesame_role_grant_free     (SesameRoleGrant       *grant);
const char      *sesame_role_to_label       (const char            *role);

GPtrArray       *sesame_store_list_roles    (SesameStore      *self,
                                             GError          **error);
gboolean         sesame_store_grant_role    (SesameStore      *self,
                                             const char       *login,
                                             SesameRoleScope   scope,
                                             GError          **error);
gboolean         sesame_store_revoke_role   (SesameStore      *self,
                                             const char       *login,
                                             GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameRoleGrant, sesame_role_grant_free)

G_END_DECLS
