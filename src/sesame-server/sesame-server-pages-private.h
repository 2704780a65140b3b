/* sesame-server-pages-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the families' pages share: the object's fields, the
 * request being answered and the functions one file calls in another.
 * sesame-server-pages.c holds the object, the hashing jobs and the
 * handler of each page; sesame-server-pages-session.c the cookies, the
 * CSRF tokens, the sessions and the addresses; sesame-server-pages-render.c
 * the templates and every answer. The server is not built with
 * SESAME_COMPILATION (it uses the core through sesame.h alone), so this
 * header has no #error guard; only those three files include it.
 */
#pragma once

#include <glib/gi18n.h>
#include <sodium.h>

#include "sesame-server-pages.h"
#include "sesame-server-pool.h"

G_BEGIN_DECLS

/* Everything on the pages is in the store's document language, which the
 * request handlers push around each page they render. */
#undef _
#define _(String) sesame_page_language_gettext (String)

#define RESOURCE_PATH "/org/sesame/Server/pages/"
/* Sign-ins waiting beyond those being hashed; more get 503 and come back
 * after RETRY_AFTER_SECONDS. At about two hashes a second per worker, 16
 * places keep the longest wait near four seconds rather than half a
 * minute: a family told to retry is better served than one left in front
 * of a page that does not answer. */
#define HASH_QUEUE 16
#define RETRY_AFTER_SECONDS "5"

struct _SesameServerPages
{
  GObject           parent_instance;

  SesameStore      *store;
  SesameServerPool *pool;
  GThreadPool      *mail;
  GHashTable       *templates;
  guint8            form_key[crypto_generichash_KEYBYTES];
  gboolean          plain_http;
};

/* One request being answered. */
typedef struct
{
  SesameServerPages *self;
  SoupServerMessage *msg;
  SesameWebSession  *session;
  char              *form_cookie;
  GHashTable        *form;
} Request;

/* sesame-server-pages-session.c */
void              _sesame_server_pages_wipe_string           (char               *text);
void              _sesame_server_pages_set_cookie            (Request            *req,
                                                              const char         *name,
                                                              const char         *value,
                                                              gboolean            remove);
SesameWebSession *_sesame_server_pages_find_session          (SesameServerPages  *self,
                                                              SoupServerMessage  *msg);
char             *_sesame_server_pages_form_token            (Request            *req);
gboolean          _sesame_server_pages_csrf_is_valid         (Request            *req);
char             *_sesame_server_pages_ent_prefix            (SesameServerPages  *self);
char             *_sesame_server_pages_location_for          (SesameServerPages  *self,
                                                              const char         *path);
const char       *_sesame_server_pages_valid_return          (const char         *retour);

/* sesame-server-pages-render.c */
gboolean          _sesame_server_pages_load_template         (SesameServerPages  *self,
                                                              const char         *name,
                                                              GError            **error);
void              _sesame_server_pages_reply_redirect        (Request            *req,
                                                              const char         *path);
void              _sesame_server_pages_reply_message         (Request            *req,
                                                              guint               status,
                                                              const char         *title,
                                                              const char         *error,
                                                              const char         *notice,
                                                              const char         *link,
                                                              const char         *link_label);
void              _sesame_server_pages_reply_sign_in_message (Request            *req,
                                                              guint               status,
                                                              const char         *title,
                                                              const char         *error,
                                                              const char         *notice);
void              _sesame_server_pages_reply_busy            (Request            *req);
void              _sesame_server_pages_reply_failure         (Request            *req);
void              _sesame_server_pages_reply_csrf_refused    (Request            *req);
void              _sesame_server_pages_render_sign_in        (Request            *req,
                                                              guint               status,
                                                              const char         *login,
                                                              const char         *retour,
                                                              gboolean            renew,
                                                              const char         *error);
void              _sesame_server_pages_render_change         (Request            *req,
                                                              guint               status,
                                                              const char         *retour,
                                                              const char         *error);
void              _sesame_server_pages_render_account        (Request            *req,
                                                              const char         *notice);
void              _sesame_server_pages_render_forgot         (Request            *req,
                                                              guint               status,
                                                              const char         *error,
                                                              const char         *notice);
void              _sesame_server_pages_render_token_page     (Request            *req,
                                                              gboolean            reset,
                                                              const char         *token,
                                                              const char         *error);

G_END_DECLS
