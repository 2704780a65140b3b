/* sesame-letters-layout-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing toolkit shared by the pages of slips (sesame-letters-slips.c)
 * and letters (sesame-letters-letter.c): fonts, boxed text, cached blocks.
 */
#pragma once

#include "sesame-letters-private.h"

G_BEGIN_DECLS

#define MM(x) ((x) * 72.0 / 25.4)

#define PAGE_W SESAME_LETTERS_PAGE_WIDTH
#define PAGE_H SESAME_LETTERS_PAGE_HEIGHT

typedef enum
{
  FONT_BODY,
  FONT_BODY_BOLD,
  FONT_BODY_ITALIC,
  FONT_SMALL,
  FONT_SMALL_BOLD,
  FONT_SMALL_ITALIC,
  FONT_TINY,
  FONT_TITLE,
  FONT_HEADING,
  FONT_NAME,
  FONT_CREDENTIAL,
  N_FONTS
} SesameLetterFont;

typedef enum
{
  INK_TEXT,
  INK_MUTED,
  INK_ACCENT,
  INK_RULE,
  INK_TINT,
} SesameLetterInk;

typedef enum
{
  TEXT_ELLIPSIZE = 0,       /* one line, ellipsized */
  TEXT_WRAP      = 1 << 0,  /* wrapped, up to max_lines, the last ellipsized */
  TEXT_RIGHT     = 1 << 1,
  TEXT_CENTER    = 1 << 2,
  TEXT_JUSTIFY   = 1 << 3,
  TEXT_SHRINK    = 1 << 4,  /* a smaller size (down to 3/4) before cutting */
} SesameLetterTextFlags;

struct _SesameLetterLayout
{
  char                 *ent_name;
  char                 *ent_url;
  char                 *letter_text;
  char                 *date;

  PangoContext         *context;
  PangoLayout          *layout;
  PangoFontDescription *fonts[N_FONTS];
  double                line_heights[N_FONTS];

  /* The QR code of the ENT address; NULL if it cannot be encoded. */
  cairo_surface_t      *qr;

  /* What every page of a kind repeats, drawn once (see _sesame_letter_paint_block()). */
  GHashTable           *blocks;
  /* Establishment jointure → the letter's paragraph for it. */
  GHashTable           *paragraphs;
};

/* Draws a block and returns its height. */
typedef double (*SesameLetterBlockFunc) (SesameLetterLayout *self,
                                         cairo_t            *cr,
                                         gconstpointer       data);

void         _sesame_letter_set_ink          (cairo_t                *cr,
                                              SesameLetterInk         ink);
double       _sesame_letter_draw_text        (SesameLetterLayout     *self,
                                              cairo_t                *cr,
                                              const char             *text,
                                              SesameLetterFont        font,
                                              SesameLetterInk         ink,
                                              SesameLetterTextFlags   flags,
                                              int                     max_lines,
                                              double                  x,
                                              double                  y,
                                              double                  width);
double       _sesame_letter_line_height      (SesameLetterLayout     *self,
                                              SesameLetterFont        font);
double       _sesame_letter_paint_block      (SesameLetterLayout     *self,
                                              cairo_t                *cr,
                                              const char             *key,
                                              SesameLetterBlockFunc   func,
                                              gconstpointer           data,
                                              double                  x,
                                              double                  y);
void         _sesame_letter_draw_qr          (SesameLetterLayout     *self,
                                              cairo_t                *cr,
                                              double                  x,
                                              double                  y,
                                              double                  size);
void         _sesame_letter_draw_line        (cairo_t                *cr,
                                              SesameLetterInk         ink,
                                              double                  width,
                                              double                  x1,
                                              double                  y1,
                                              double                  x2,
                                              double                  y2);
void         _sesame_letter_draw_dashed_line (cairo_t                *cr,
                                              double                  x1,
                                              double                  y1,
                                              double                  x2,
                                              double                  y2);
const char  *_sesame_letter_password_text    (const SesameLetterItem *item);

void         _sesame_letter_draw_slip_page   (SesameLetterLayout       *self,
                                              cairo_t                  *cr,
                                              const SesameLetterPage   *page,
                                              SesameLetterItem * const *items);
void         _sesame_letter_draw_letter_page (SesameLetterLayout       *self,
                                              cairo_t                  *cr,
                                              const SesameLetterItem   *item);

G_END_DECLS
