/* sesame-search.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sesame-store.h"

G_BEGIN_DECLS

/**
 * SesameSearchQuery:
 * @text: free text: words in any order, prefixes, case and accents ignored
 * @last_name: last name prefix
 * @first_name: first name prefix
 * @profile: a profile, or %SESAME_PROFILE_NONE for any
 * @class_name: a class or group code
 * @subject: a subject taught (staff)
 * @establishment: an establishment UAI
 * @login: a login, today's or a former one
 * @key: an exact directory key (with or without the academy prefix)
 * @state: a #SesameAccountState, or -1 for any
 * @limit: the most results to return (0: 200)
 * @login_prefix: whether @login is only the beginning of a login, as typed
 *   at the desk
 *
 * A search; every field set narrows it. Free fields are owned strings.
 */
typedef struct
{
  char          *text;
  char          *last_name;
  char          *first_name;
  SesameProfile  profile;
  char          *class_name;
  char          *subject;
  char          *establishment;
  char          *login;
  char          *key;
  int            state;
  guint          limit;
  gboolean       login_prefix;
} SesameSearchQuery;

#define SESAME_TYPE_SEARCH_QUERY (sesame_search_query_get_type ())

GType              sesame_search_query_get_type (void) G_GNUC_CONST;
SesameSearchQuery *sesame_search_query_new      (void);
SesameSearchQuery *sesame_search_query_copy     (const SesameSearchQuery *query);
void               sesame_search_query_free     (SesameSearchQuery       *query);
gboolean           sesame_search_query_is_empty (const SesameSearchQuery *query);

GListModel        *sesame_search_run            (SesameStore             *self,
                                                 const SesameSearchQuery *query,
                                                 GCancellable            *cancellable,
                                                 GError                 **error);

/**
 * SesameSearchGroup:
 * @code: the code of the class or group, as the directory writes it
 * @is_class: whether it is a class (a division) rather than a group
 * @n_pupils: how many pupils belong to it
 *
 * A class or group of the directory, to search by.
 */
typedef struct
{
  char     *code;
  gboolean  is_class;
  guint     n_pupils;
} SesameSearchGroup;

void               sesame_search_group_free     (SesameSearchGroup       *group);

GPtrArray         *sesame_search_list_subjects  (SesameStore             *self,
                                                 const char              *establishment,
                                                 GError                 **error);
GPtrArray         *sesame_search_list_groups    (SesameStore             *self,
                                                 const char              *establishment,
                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSearchQuery, sesame_search_query_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameSearchGroup, sesame_search_group_free)

G_END_DECLS
