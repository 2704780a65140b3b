/* sesame-cas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * French ENTs and the web services around them sign people in with CAS
 * (Central Authentication Service, protocol 3.0): the browser goes to the
 * server's /cas/login, comes back to the service with a one-time ticket,
 * and the service validates the ticket with the server. This file names
 * the failures of that protocol; the registry of services, the tickets and
 * the XML answers have their own files beside it.
 */
#include "config.h"

#include "sesame-cas.h"
#include "sesame-document-language-private.h"
#include "sesame-store-private.h"

/**
 * sesame_cas_error_quark:
 *
 * The error domain of CAS validations, with the codes of #SesameCasError.
 *
 * Returns: the #GQuark of %SESAME_CAS_ERROR
 */
G_DEFINE_QUARK (sesame-cas-error-quark, sesame_cas_error)

/**
 * sesame_cas_error_to_code:
 * @error: a #GError
 *
 * Spells a failure as the CAS protocol's `code` attribute does. Errors of
 * other domains (the store's) are the server's own failure.
 *
 * Returns: the code, e.g. "INVALID_TICKET"
 */
const char *
sesame_cas_error_to_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, "INTERNAL_ERROR");

  if (error->domain != SESAME_CAS_ERROR)
    return "INTERNAL_ERROR";
  switch ((SesameCasError) error->code)
    {
    case SESAME_CAS_ERROR_INVALID_REQUEST:
      return "INVALID_REQUEST";
    case SESAME_CAS_ERROR_INVALID_TICKET:
      return "INVALID_TICKET";
    case SESAME_CAS_ERROR_INVALID_SERVICE:
      return "INVALID_SERVICE";
    case SESAME_CAS_ERROR_UNAUTHORIZED_SERVICE:
      return "UNAUTHORIZED_SERVICE";
    case SESAME_CAS_ERROR_INTERNAL_ERROR:
    default:
      return "INTERNAL_ERROR";
    }
}

/**
 * sesame_cas_dup_page_text:
 * @store: the server's #SesameStore
 * @page: which page
 * @login: (nullable): the login signed in, for %SESAME_CAS_PAGE_SIGNED_IN
 * @title: (out) (transfer full): the page's title
 * @language: (out) (transfer full): the language both are written in, for
 *   the page's lang attribute
 *
 * Gives the words of a page the server's CAS shows a person, in the
 * store's document language, like everything families read.
 *
 * Returns: (transfer full): the page's sentence, plain text
 */
char *
sesame_cas_dup_page_text (SesameStore    *store,
                          SesameCasPage   page,
                          const char     *login,
                          char          **title,
                          char          **language)
{
  char *text = NULL;

  g_return_val_if_fail (SESAME_IS_STORE (store), NULL);
  g_return_val_if_fail (title != NULL && language != NULL, NULL);

  _sesame_store_push_document_language (store);
  *language = g_strdup (_sesame_document_language_current ());
  switch (page)
    {
    case SESAME_CAS_PAGE_UNKNOWN_SERVICE:
      *title = g_strdup (_("Unknown service"));
      text = g_strdup (_("The site that sent you here is not allowed to sign you in with your ENT account. "
                         "Go back to it and use its link to the ENT, or ask your establishment."));
      break;
    case SESAME_CAS_PAGE_SIGNED_IN:
      *title = g_strdup (_("You are signed in"));
      /* TRANSLATORS: %s is a login, e.g. "jean.dupont" */
      text = g_strdup_printf (_("You are signed in as %s. You may now open the services of your ENT."),
                              login != NULL ? login : "");
      break;
    case SESAME_CAS_PAGE_SIGNED_OUT:
      *title = g_strdup (_("You are signed out"));
      text = g_strdup (_("You are signed out of your ENT account. On a shared computer, close the browser too."));
      break;
    case SESAME_CAS_PAGE_ACCOUNT_DISABLED:
      *title = g_strdup (_("This account is disabled"));
      text = g_strdup (_("This account can no longer sign in to the ENT's services. "
                         "If you think this is a mistake, ask your establishment."));
      break;
    case SESAME_CAS_PAGE_FAILED:
    default:
      *title = g_strdup (_("Sign-in is unavailable"));
      text = g_strdup (_("The server could not answer. Try again in a moment; if it goes on, ask your establishment."));
      break;
    }
  _sesame_document_language_pop ();
  return text;
}
