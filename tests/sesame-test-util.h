/* sesame-test-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Defined when the tests are built with AddressSanitizer. */
#if defined(__SANITIZE_ADDRESS__)
# define SESAME_TEST_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define SESAME_TEST_ASAN 1
# endif
#endif

#include "sesame-store.h"

G_BEGIN_DECLS

/* g_test_init() plus a private XDG_DATA_HOME / XDG_CONFIG_HOME / HOME. */
void   sesame_test_init          (int    *argc,
                                  char ***argv);
void   sesame_test_use_private_folders (void);
char  *sesame_test_make_tmpdir   (void);
void   sesame_test_remove_tree   (const char *path);
/* The path of a file in tests/data/ of the source tree. */
char  *sesame_test_data_path     (const char *name);

/* The operator passphrase the tests give: sesame_test_init() puts it in
 * SESAME_PASSPHRASE, where sesamectl --as reads it. */
#define SESAME_TEST_PASSPHRASE "la phrase de passe des tests"

/* Names the ENT (name and address), without which nothing prints. */
void   sesame_test_name_ent      (SesameStore *store);
/* Gives an operator (who must hold a role) the test passphrase through an
 * enrolment code, as its owner would hand it; the owner acts again after. */
void   sesame_test_enrol_operator (SesameStore *store,
                                   const char  *login);

G_END_DECLS
