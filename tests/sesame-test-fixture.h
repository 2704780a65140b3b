/* sesame-test-fixture.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The small school every test of the core starts from, and the fixture
 * that holds it: a folder of its own, the store in it.
 */
#pragma once

#include "sesame-store.h"

G_BEGIN_DECLS

/* A small school written straight into a new store, for the tests of the
 * modules that read it:
 *
 * Collège Les Aravis (UAI 0740017S, jointure 52006, academy GRENOBLE)
 *   pupils   Éloïse DUPONT (6A), Jean DUPONT (6A), Zoé MARTIN (5 B),
 *            Anne-Sophie D'ALMEIDA (5 B)
 *   parents  Marie DUPONT (mother of Éloïse and Jean, marie.dupont@example.org),
 *            Paul DUPONT (father of Éloïse and Jean),
 *            Claire MARTIN (mother of Zoé, no email)
 *   staff    Hélène ROCHE (DIR, head), Luc BERNARD (ENS, main teacher of 6A),
 *            Sophie GARNIER (EDU, CPE), Marc FAURE (ADF, secretary)
 * Lycée Berthollet (UAI 0740018T, jointure 52007)
 *   pupil    Jean DUPONT (2NDE1) — a homonym: jean.dupont2
 *   parent   Nathalie DUPONT (mother)
 *
 * Keys are "P1"… as in the table in sesame-test-fixture.c. The store's
 * owner is the operator. */
SesameStore *sesame_test_fixture_store (const char *dir);

/* A test's folder and the small school's store in it, for g_test_add():
 * the tests with nothing more to hold use it as their Fixture, the others
 * put it first in theirs. The tests of sesamectl close the store and keep
 * its path for the processes they start. */
typedef struct
{
  char        *dir;
  SesameStore *store;       /* NULL once closed */
  char        *store_path;
} SesameTestFixture;

void sesame_test_fixture_set_up    (SesameTestFixture *fixture,
                                    gconstpointer      data);
void sesame_test_fixture_set_up_closed (SesameTestFixture *fixture,
                                        gconstpointer      data);
void sesame_test_fixture_close     (SesameTestFixture *fixture);
void sesame_test_fixture_tear_down (SesameTestFixture *fixture,
                                    gconstpointer      data);

G_END_DECLS
