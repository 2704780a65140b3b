/* sesame-letters-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the batch (sesame-letters.c) reads from the store
 * (sesame-letters-collect.c) and hands to the layout (sesame-letters-layout.c):
 * everything a page needs, read once, so that pages are drawn without
 * touching the store, on any thread.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-letters-private.h belongs to the core and its tests: include sesame.h"
#endif

#include <pango/pangocairo.h>

#include "sesame-letters.h"

G_BEGIN_DECLS

typedef enum
{
  SESAME_LETTER_PASSWORD_LIVE,          /* a first password that works now */
  SESAME_LETTER_PASSWORD_PERSONALISED,  /* the person chose their own */
  SESAME_LETTER_PASSWORD_EXPIRED,       /* never signed in, first password gone */
} SesameLetterPasswordState;

typedef struct
{
  char *jointure;
  char *uai;
  char *name;
  char *street;
  char *postal_code;
  char *city;
  char *phone;
  char *academy;
  char *head_name;  /* "First LAST" of the head of establishment, or "" */
} SesameLetterEstablishment;

typedef struct
{
  char *name;        /* "First LAST" */
  char *class_name;  /* "" when none */
  char *elsewhere;   /* the child's establishment when not the letter's, or NULL */
} SesameLetterChild;

typedef struct
{
  char                            *key;
  SesameProfile                    profile;
  char                            *title;
  char                            *display_name;  /* "First LAST" */
  char                            *class_name;    /* pupils: their class, or "" */
  char                           **address;       /* the window envelope's lines */
  char                            *login;
  char                            *password;      /* NULL unless LIVE; wiped on free */
  SesameLetterPasswordState        password_state;
  const SesameLetterEstablishment *establishment; /* borrowed from the batch; may be NULL */
  GPtrArray                       *children;      /* SesameLetterChild, for parents */
  gboolean                         slip;
  /* Sort keys. */
  char                            *group_key;
  char                            *name_key;
} SesameLetterItem;

typedef struct
{
  gboolean  slip;
  guint     first;     /* index of its first item */
  guint     n_items;
  guint     sheet;     /* slips: the page's rank within its group, from 1 */
  guint     n_sheets;  /* slips: how many pages the group takes */
} SesameLetterPage;

/* What the layout needs from the batch. */
typedef struct
{
  const char *ent_name;
  const char *ent_url;
  const char *letter_text;  /* placeholders already replaced per establishment by the layout */
  gint64      date;         /* the letters' date, seconds since the Unix epoch */
} SesameLetterSettings;

/* 8 slips on a page: 2 columns of 4. */
#define SESAME_SLIP_COLUMNS 2
#define SESAME_SLIP_ROWS    4
#define SESAME_SLIPS_PER_PAGE (SESAME_SLIP_COLUMNS * SESAME_SLIP_ROWS)

/* What a batch prints, read from the store once. */
typedef struct
{
  GPtrArray  *items;           /* SesameLetterItem, in print order */
  GArray     *pages;           /* SesameLetterPage */
  GHashTable *establishments;  /* jointure → SesameLetterEstablishment */
  guint       n_slips;
  guint       n_letters;
  guint       n_expired;
} SesameLetterContent;

/* Collects the accounts of a query whose establishment, if any, is a known
 * UAI; refuses the whole content if the operator may not print one of them. */
SesameLetterContent *_sesame_letter_content_collect (SesameStore              *store,
                                                     const SesameLetterQuery  *query,
                                                     GCancellable             *cancellable,
                                                     GError                  **error);
void                 _sesame_letter_content_free    (SesameLetterContent      *content);

typedef struct _SesameLetterLayout SesameLetterLayout;

SesameLetterLayout *_sesame_letter_layout_new   (const SesameLetterSettings *settings);
void                _sesame_letter_layout_free  (SesameLetterLayout         *layout);
/* The title of a slip page's group: its class, or what its people are. */
char               *_sesame_letter_group_title  (const SesameLetterItem     *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameLetterContent, _sesame_letter_content_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SesameLetterLayout, _sesame_letter_layout_free)

G_END_DECLS
