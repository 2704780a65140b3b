/* sesame-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SesameStore:
 *
 * A connection to the store, the SQLite database of an office that holds
 * the directory, the accounts, the roles, the files and the audit trail,
 * and the operator acting on it. A #SesameStore is used by one thread at a
 * time: other threads open their own connection with sesame_store_dup().
 */
typedef struct _SesameStore  SesameStore;
typedef struct _SesamePerson SesamePerson;

/**
 * SesameProfile:
 * @SESAME_PROFILE_NONE: unknown or not set
 * @SESAME_PROFILE_ELEVE: a pupil
 * @SESAME_PROFILE_PARENT: a parent or guardian ("Tuteur / responsable")
 * @SESAME_PROFILE_ENSEIGNANT: academy teaching staff
 * @SESAME_PROFILE_NON_ENSEIGNANT: academy non-teaching staff
 * @SESAME_PROFILE_AUTRE: a locally managed "Autre" account
 * @SESAME_PROFILE_COLLECTIVITE: local authority staff ("Personnel de collectivité")
 *
 * The ENT profile of a person. Only pupils, parents, "Autre" and local
 * authority staff have accounts that Sésame distributes; academy staff
 * sign in with their academic credentials.
 */
typedef enum
{
  SESAME_PROFILE_NONE,
  SESAME_PROFILE_ELEVE,
  SESAME_PROFILE_PARENT,
  SESAME_PROFILE_ENSEIGNANT,
  SESAME_PROFILE_NON_ENSEIGNANT,
  SESAME_PROFILE_AUTRE,
  SESAME_PROFILE_COLLECTIVITE,
} SesameProfile;

#define SESAME_N_PROFILES (SESAME_PROFILE_COLLECTIVITE + 1)

/**
 * SesameAccountState:
 * @SESAME_ACCOUNT_STATE_PENDING: never signed in ("En attente")
 * @SESAME_ACCOUNT_STATE_ACTIVE: signed in at least once ("Activé")
 * @SESAME_ACCOUNT_STATE_DISABLED: the person left the establishment ("Désactivé")
 *
 * Where a person's ENT account stands, from the store's record of its
 * sign-ins and of the person's departure.
 */
typedef enum
{
  SESAME_ACCOUNT_STATE_PENDING,
  SESAME_ACCOUNT_STATE_ACTIVE,
  SESAME_ACCOUNT_STATE_DISABLED,
} SesameAccountState;

/**
 * SesameRoleScope:
 * @SESAME_ROLE_SCOPE_ESTABLISHMENT: every account of the operator's establishments
 * @SESAME_ROLE_SCOPE_CLASSES: the pupils of the operator's own classes and their guardians
 * @SESAME_ROLE_SCOPE_ALL: every establishment of the store (administrators only)
 *
 * Which accounts an identifier manager's role covers.
 */
typedef enum
{
  SESAME_ROLE_SCOPE_ESTABLISHMENT,
  SESAME_ROLE_SCOPE_CLASSES,
  SESAME_ROLE_SCOPE_ALL,
} SesameRoleScope;

/**
 * SesamePermission:
 * @SESAME_PERMISSION_IMPORT: import the directory of one's establishments
 * @SESAME_PERMISSION_MANAGE_FILES: list, generate, export and delete identifier files
 * @SESAME_PERMISSION_MANAGE_ROLES: grant and revoke roles
 * @SESAME_PERMISSION_SEND_MAIL: send identifiers by email
 * @SESAME_PERMISSION_VIEW_AUDIT: read the whole audit trail
 * @SESAME_PERMISSION_SEARCH: search accounts
 * @SESAME_PERMISSION_VIEW_ACCOUNT: see an account
 * @SESAME_PERMISSION_CHANGE_LOGIN: change a login
 * @SESAME_PERMISSION_RESET_PASSWORD: regenerate a password
 * @SESAME_PERMISSION_PRINT: print slips and letters
 * @SESAME_PERMISSION_OPERATE: act as an operator at all: read the settings,
 *   the mail server's settings, the table of rights and one's own history
 * @SESAME_PERMISSION_MANAGE_STORE: change what every establishment of the
 *   store shares: its settings and its mail server
 *
 * What an operator may do; checked by the core before every operation.
 * Administrators of some establishments hold the administrator's
 * permissions for those establishments only; the store-wide ones
 * (%SESAME_PERMISSION_VIEW_AUDIT, %SESAME_PERMISSION_MANAGE_STORE) belong
 * to the store's owner and the administrators of every establishment.
 */
typedef enum
{
  SESAME_PERMISSION_IMPORT,
  SESAME_PERMISSION_MANAGE_FILES,
  SESAME_PERMISSION_MANAGE_ROLES,
  SESAME_PERMISSION_SEND_MAIL,
  SESAME_PERMISSION_VIEW_AUDIT,
  SESAME_PERMISSION_SEARCH,
  SESAME_PERMISSION_VIEW_ACCOUNT,
  SESAME_PERMISSION_CHANGE_LOGIN,
  SESAME_PERMISSION_RESET_PASSWORD,
  SESAME_PERMISSION_PRINT,
  SESAME_PERMISSION_OPERATE,
  SESAME_PERMISSION_MANAGE_STORE,
} SesamePermission;

const char    *sesame_profile_to_token          (SesameProfile      profile);
SesameProfile  sesame_profile_from_token        (const char        *token);
const char    *sesame_profile_to_label          (SesameProfile      profile);
gboolean       sesame_profile_is_distributable  (SesameProfile      profile);
const char    *sesame_account_state_to_token    (SesameAccountState state);
gboolean       sesame_account_state_from_token  (const char        *token,
                                                 SesameAccountState *state);
const char    *sesame_account_state_to_label    (SesameAccountState state);
const char    *sesame_role_scope_to_token       (SesameRoleScope    scope);
gboolean       sesame_role_scope_from_token     (const char        *token,
                                                 SesameRoleScope   *scope);
const char    *sesame_role_scope_to_label       (SesameRoleScope    scope);

G_END_DECLS
