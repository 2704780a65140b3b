/* sesame-test-permissions.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/* Who acts, one column of the permission matrix. */
typedef enum
{
  OP_OWNER,            /* the store's owner: no login */
  OP_ADMIN_ALL,        /* alice.noel, administrator of all establishments */
  OP_HEAD_A,           /* helene.roche, DIR of A */
  OP_HEAD_B,           /* henri.vidal, DIR of B */
  OP_MANAGER_A,        /* sophie.garnier, identifier manager of A */
  OP_CLASSES_MANAGER,  /* luc.bernard, identifier manager of his classes (6A) */
  OP_DEPARTED_MANAGER, /* denis.leroy, manager of A who left the directory */
  OP_REVOKED_MANAGER,  /* remi.petit, manager of A revoked on a desk whose clock is behind */
  OP_TEACHER,          /* nina.roux, a teacher of A without a role */
  OP_PUPIL,            /* eloise.dupont */
  OP_PARENT,           /* marie.dupont */
  OP_UNKNOWN,          /* nobody.here: no such login */
  OP_HEAD_NOWHERE,     /* gilles.marin, DIR of a structure the store does not know */
  OP_WRONG_PASSPHRASE, /* room for sign-in: a right login with a wrong passphrase */
  N_OPERATORS
} PermOperator;

/* What is done, one row of the matrix, on a target in A and one in B. */
typedef enum
{
  ACT_SEARCH,
  ACT_SHOW,
  ACT_SET_LOGIN,
  ACT_RESET_PASSWORD,
  ACT_LETTERS,
  ACT_FILES_LIST,
  ACT_FILES_GENERATE,
  ACT_FILES_EXPORT,
  ACT_FILES_DELETE,
  ACT_IMPORT,
  ACT_DIFFUSION,
  ACT_ROLES_GRANT,
  ACT_ROLES_REVOKE,
  ACT_ROLES_LIST,
  ACT_SETTINGS_LIST,
  ACT_SETTINGS_SET,
  ACT_SMTP_SHOW,
  ACT_SMTP_SET,
  ACT_AUDIT,
  ACT_AUDIT_MINE,
  N_ACTIONS
} PermAction;

typedef struct
{
  PermAction  action;
  const char *name;
  /* One character per PermOperator: 'y' allowed, 'n' refused, '.' not
   * tried yet (the wrong passphrase column until operators sign in). */
  const char *in_a;
  const char *in_b;
} PermRow;

extern const PermRow perm_matrix[N_ACTIONS];

/* The login an operator acts as, or NULL for the owner. */
const char  *perm_operator_login      (PermOperator op);
const char  *perm_operator_name       (PermOperator op);

/* Establishments: A is 0740017S (structure 52006), B is 0740018T (52007). */
#define PERM_UAI_A "0740017S"
#define PERM_UAI_B "0740018T"
/* The person targets: a pupil of 6A in A, a pupil of B. */
#define PERM_PUPIL_A "jean.dupont"
#define PERM_PUPIL_B "jean.dupont2"
/* Staff without a role, to be granted one; managers, to be revoked. */
#define PERM_STAFF_A "marc.faure"
#define PERM_STAFF_B "yves.blanc"
#define PERM_MANAGER_A "sophie.garnier"
#define PERM_MANAGER_B "lea.morel"

/* The store of sesame-test-fixture.h with more staff, the roles above,
 * an identifier file of each establishment (ids in @file_a, @file_b) and
 * an ENT address. Marie DUPONT (parent in A) is also the guardian of Jean
 * DUPONT of B. The store's owner is the operator. */
SesameStore *perm_fixture_store       (const char  *dir,
                                       char       **file_a,
                                       char       **file_b);
/* A delta of both establishments' records, renaming them "NEW A", "NEW B". */
char        *perm_write_import_file   (const char  *dir);

/* The matrix's fixture, through the core and through sesamectl: the
 * store of perm_fixture_store() written once as a template, each cell of
 * the matrix working on a copy of its own (perm_fixture_copy_store()). */
typedef struct
{
  char *dir;
  char *template_path;
  char *file_a;
  char *file_b;
  char *import_path;
} PermFixture;

void         perm_fixture_set_up      (PermFixture   *fixture,
                                       gconstpointer  data);
void         perm_fixture_tear_down   (PermFixture   *fixture,
                                       gconstpointer  data);
char        *perm_fixture_copy_store  (PermFixture   *fixture,
                                       const char    *name);

G_END_DECLS
