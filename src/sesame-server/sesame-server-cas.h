/* sesame-server-cas.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server's CAS endpoints. Who is signed in is the families' pages'
 * business (their session cookie, their sign-in form): this file reaches
 * it through SesameServerCasSessions, which sesame-server.c fills from
 * the pages and the tests from a session of their own.
 */
#pragma once

#include <libsoup/soup.h>

#include "sesame.h"

G_BEGIN_DECLS

/**
 * SesameServerCasSessions:
 * @dup_login: the login of the person the request's session signs in, or
 *   %NULL without a session or while the person must still choose their
 *   own password
 * @take_fresh_sign_in: whether the person typed their password on the
 *   sign-in form for the return address @retour just now; the marker is
 *   used up, so that a reload does not count as a new sign-in
 * @sign_in_location: where to send a browser to sign in and come back to
 *   @retour (a path on this server); @force shows the form even to a
 *   person who has a session (CAS renew)
 * @sign_out: ends the request's session and writes what must go in the
 *   response (its cookie, expired)
 * @user_data: given to each
 *
 * What the CAS endpoints need to know of the families' sessions.
 */
typedef struct
{
  char     *(*dup_login)          (SoupServerMessage *msg,
                                   gpointer           user_data);
  gboolean  (*take_fresh_sign_in) (SoupServerMessage *msg,
                                   const char        *retour,
                                   gpointer           user_data);
  char     *(*sign_in_location)   (const char        *retour,
                                   gboolean           force,
                                   gpointer           user_data);
  void      (*sign_out)           (SoupServerMessage *msg,
                                   gpointer           user_data);
  gpointer    user_data;
} SesameServerCasSessions;

void sesame_server_cas_install (SoupServer                    *server,
                                SesameStore                   *store,
                                const SesameServerCasSessions *sessions);

G_END_DECLS
