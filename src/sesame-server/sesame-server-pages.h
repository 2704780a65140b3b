/* sesame-server-pages.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The families' pages of sesame-server (README.md, "Families' pages"):
 * /connexion, /changer-mot-de-passe, /activer?jeton=, /mot-de-passe-oublie,
 * /reinitialiser?jeton=, /compte and /deconnexion.
 *
 * For a service that signs people in with these pages (CAS):
 *
 * - Send the browser to sesame_server_pages_sign_in_path() (the path of
 *   /connexion with `retour`, and `renouveler=1` to show the form even to
 *   someone signed in). `retour` must be a path on this server: it starts
 *   with one "/", holds no "\", no control character and no scheme
 *   (sesame_server_pages_return_is_valid()); anything else is ignored and
 *   the person lands on /compte. After the sign-in, and after the change
 *   of a first password when one is due, the browser is sent to `retour`
 *   (under the configured ENT address's path).
 * - On the request that comes back, sesame_server_pages_dup_signed_in()
 *   gives the signed-in person's session, or %NULL when there is none or
 *   the person must still change a first password.
 * - After a sign-in asked with `renouveler=1`, the session keeps a
 *   one-time marker: sesame_server_pages_take_reauth() returns %TRUE once,
 *   on the first request that asks, proving the password was just typed.
 */
#pragma once

#include <libsoup/soup.h>

#include "sesame.h"

G_BEGIN_DECLS

#define SESAME_TYPE_SERVER_PAGES (sesame_server_pages_get_type ())

G_DECLARE_FINAL_TYPE (SesameServerPages, sesame_server_pages, SESAME, SERVER_PAGES, GObject)

/* The cookies the pages set. */
#define SESAME_SERVER_PAGES_SESSION_COOKIE "sesame_session"
#define SESAME_SERVER_PAGES_FORM_COOKIE    "sesame_form"

SesameServerPages *sesame_server_pages_new              (SesameStore        *store,
                                                         gboolean            plain_http,
                                                         GError            **error);
void               sesame_server_pages_install          (SesameServerPages  *self,
                                                         SoupServer         *server);
SesameWebSession  *sesame_server_pages_dup_signed_in    (SesameServerPages  *self,
                                                         SoupServerMessage  *msg);
gboolean           sesame_server_pages_take_reauth      (SesameServerPages  *self,
                                                         SoupServerMessage  *msg);
gboolean           sesame_server_pages_return_is_valid  (const char         *retour);
char              *sesame_server_pages_sign_in_path     (const char         *retour,
                                                         gboolean            renew);

G_END_DECLS
