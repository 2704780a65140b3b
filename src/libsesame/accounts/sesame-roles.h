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
 * @ended_at: when the role ended because its holder left the directory
 *   (a deleteRequest, or absent from a complete export), in seconds since
 *   the Unix epoch; 0 while it is held. An ended role grants nothing.
 * @granted_by_name: who granted it, for people to read: the operator's
 *   name "First LAST", never a bare login nor the computer's user
 * @establishments: (nullable): the establishments of the holder, "name
 *   (UAI)", one a line
 *
 * A role granted to a member of staff, held or ended: one line of the
 * table of rights.
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
  gint64           ended_at;
  char            *granted_by_name;
  char            *establishments;
} SesameRoleGrant;

#define SESAME_TYPE_ROLE_GRANT (sesame_role_grant_get_type ())

GType            sesame_role_grant_get_type (void) G_GNUC_CONST;
SesameRoleGrant *sesame_role_grant_copy     (const SesameRoleGrant *grant);
void             sesame_role_grant_free     (SesameRoleGrant       *grant);
const char      *sesame_role_to_label       (const char            *role);

GPtrArray       *sesame_roles_list          (SesameStore      *self,
                                             GError          **error);
gboolean         sesame_roles_grant         (SesameStore      *self,
                                             const char       *login,
                                             SesameRoleScope   scope,
                                             GError          **error);
gboolean         sesame_roles_revoke        (SesameStore      *self,
                                             const char       *login,
                                             GError          **error);
gboolean         sesame_roles_grant_admin   (SesameStore      *self,
                                             const char       *login,
                                             SesameRoleScope   scope,
                                             GError          **error);
gboolean         sesame_roles_revoke_admin  (SesameStore      *self,
                                             const char       *login,
                                             GError          **error);
char            *sesame_role_grant_dup_status (const SesameRoleGrant *grant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameRoleGrant, sesame_role_grant_free)

G_END_DECLS
