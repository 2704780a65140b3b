/* sesame-letters.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/* SESAME_SETTING_LETTER_TEXT (sesame-store.h) is the editable paragraph of
 * the letters; `{establishment}` and `{ent}` in it stand for the
 * establishment's and the ENT's names. Unset or empty, the letters use
 * sesame_letters_default_text(). */

/* A4 in points, the page every slip and letter is laid out on. */
#define SESAME_LETTERS_PAGE_WIDTH  595.28
#define SESAME_LETTERS_PAGE_HEIGHT 841.89

/**
 * SesameLetterKind:
 * @SESAME_LETTER_KIND_AUTO: pupils get slips, everyone else a letter
 * @SESAME_LETTER_KIND_SLIPS: slips for everyone (e.g. at the desk)
 * @SESAME_LETTER_KIND_LETTERS: a letter for everyone but pupils, who have
 *   no postal address and are not written to as adults: they still get a
 *   slip
 *
 * What to print for the accounts of a #SesameLetterBatch.
 */
typedef enum
{
  SESAME_LETTER_KIND_AUTO,
  SESAME_LETTER_KIND_SLIPS,
  SESAME_LETTER_KIND_LETTERS,
} SesameLetterKind;

/**
 * SesameLetterQuery:
 * @kind: slips, letters, or each what suits it
 * @profile: %SESAME_PROFILE_ELEVE, %SESAME_PROFILE_PARENT, or
 *   %SESAME_PROFILE_NONE for every account Sésame distributes
 * @class_name: (nullable): a class code, e.g. `6A`: its pupils and their
 *   guardians
 * @establishment: (nullable): a UAI: its pupils, their guardians and its
 *   other local accounts
 * @logins: (nullable) (array zero-terminated=1): only these accounts
 * @keys: (nullable) (array zero-terminated=1): only these persons, by
 *   directory key (a selection, or the accounts of an identifier file from
 *   sesame_identifier_files_list_keys())
 *
 * Which accounts to print. The criteria that are set all apply. With
 * neither @logins nor @keys, every account matching the other criteria
 * is printed.
 */
typedef struct
{
  SesameLetterKind   kind;
  SesameProfile      profile;
  char              *class_name;
  char              *establishment;
  char             **logins;
  char             **keys;
} SesameLetterQuery;

#define SESAME_TYPE_LETTER_QUERY (sesame_letter_query_get_type ())

GType              sesame_letter_query_get_type (void) G_GNUC_CONST;
SesameLetterQuery *sesame_letter_query_new      (void);
SesameLetterQuery *sesame_letter_query_copy     (const SesameLetterQuery *query);
void               sesame_letter_query_free     (SesameLetterQuery       *query);

#define SESAME_TYPE_LETTER_BATCH (sesame_letter_batch_get_type ())

G_DECLARE_FINAL_TYPE (SesameLetterBatch, sesame_letter_batch, SESAME, LETTER_BATCH, GObject)

SesameLetterBatch *sesame_letter_batch_new          (SesameStore              *store,
                                                     const SesameLetterQuery  *query,
                                                     GCancellable             *cancellable,
                                                     GError                  **error);
guint              sesame_letter_batch_get_n_pages  (SesameLetterBatch        *self);
guint              sesame_letter_batch_get_n_items  (SesameLetterBatch        *self);
guint              sesame_letter_batch_get_n_slips  (SesameLetterBatch        *self);
guint              sesame_letter_batch_get_n_letters (SesameLetterBatch       *self);
guint              sesame_letter_batch_get_n_expired (SesameLetterBatch       *self);
void               sesame_letter_batch_draw_page    (SesameLetterBatch        *self,
                                                     cairo_t                  *cr,
                                                     guint                     page,
                                                     double                    width_pt,
                                                     double                    height_pt);
gboolean           sesame_letter_batch_record_printed (SesameLetterBatch      *self,
                                                     SesameStore            *store,
                                                     GError                **error);
gboolean           sesame_letter_batch_export_pdf   (SesameLetterBatch        *self,
                                                     const char               *path,
                                                     GCancellable             *cancellable,
                                                     GError                  **error);

const char        *sesame_letters_default_text      (void);
char              *sesame_letters_dup_default_text  (SesameStore              *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameLetterQuery, sesame_letter_query_free)

G_END_DECLS
