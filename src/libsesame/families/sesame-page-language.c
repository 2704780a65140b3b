/* sesame-page-language.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The families' pages speak the store's document language (French unless
 * an administrator chose another), whatever the server's own locale: the
 * people reading them are the ones who receive the letters and emails.
 * The server renders a page between push and pop, on the thread that
 * renders it, and translates its strings with these functions.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-families"

#include "sesame-document-language-private.h"
#include "sesame-page-language.h"
#include "sesame-store-private.h"

/**
 * sesame_page_language_push:
 * @store: a #SesameStore
 *
 * Translates into @store's document language on this thread until
 * sesame_page_language_pop().
 */
void
sesame_page_language_push (SesameStore *store)
{
  g_return_if_fail (SESAME_IS_STORE (store));

  _sesame_store_push_document_language (store);
}

/**
 * sesame_page_language_pop:
 *
 * Ends what sesame_page_language_push() began.
 */
void
sesame_page_language_pop (void)
{
  _sesame_document_language_pop ();
}

/**
 * sesame_page_language_gettext:
 * @msgid: an English string of Sésame's text domain
 *
 * Translates a page's string into the language pushed.
 *
 * Returns: (transfer none): its translation into the language pushed
 */
const char *
sesame_page_language_gettext (const char *msgid)
{
  return _sesame_document_dgettext (GETTEXT_PACKAGE, msgid);
}

/**
 * sesame_page_language_ngettext:
 * @msgid: the English singular
 * @msgid_plural: the English plural
 * @n: the number the sentence counts
 *
 * Translates a page's sentence that counts something.
 *
 * Returns: (transfer none): the translation for @n
 */
const char *
sesame_page_language_ngettext (const char *msgid,
                               const char *msgid_plural,
                               gulong      n)
{
  return _sesame_document_dngettext (GETTEXT_PACKAGE, msgid, msgid_plural, n);
}
