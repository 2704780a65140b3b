/* sesame-store-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The document language as a setting of the store: the language a letter
 * or a message is written in belongs to the store, shared by every desk
 * that opens it, while its catalogs (sesame-document-language.c) know
 * nothing of stores. It stays out of sesame-store-settings.c, whose
 * messages are for the desk and must not go through the document
 * language's _().
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-store"

#include "sesame-document-language-private.h"
#include "sesame-store-private.h"

/**
 * sesame_store_language_dup:
 * @self: a #SesameStore
 *
 * The language letters and messages are written in, a setting
 * (%SESAME_SETTING_DOCUMENT_LANGUAGE) shared by every desk of the store.
 * A value this Sésame has no catalog for counts as unset.
 *
 * Returns: (transfer full): the store's document language, "fr" unless set
 */
char *
sesame_store_language_dup (SesameStore *store)
{
  g_autofree char *code = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);

  code = sesame_store_settings_dup (store, SESAME_SETTING_DOCUMENT_LANGUAGE, SESAME_DOCUMENT_LANGUAGE_DEFAULT);
  if (!sesame_document_language_is_valid (code))
    return g_strdup (SESAME_DOCUMENT_LANGUAGE_DEFAULT);
  return g_steal_pointer (&code);
}

/**
 * _sesame_store_push_document_language:
 * @store: a #SesameStore
 *
 * Takes the store's document language for this thread: see
 * _sesame_document_language_push_code().
 */
void
_sesame_store_push_document_language (SesameStore *store)
{
  g_autofree char *code = sesame_store_language_dup (store);

  _sesame_document_language_push_code (code);
}
