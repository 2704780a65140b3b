/* sesame-letters-layout-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing toolkit shared by the pages of slips (sesame-letters-slips.c)
 * and letters (sesame-letters-letter.c): fonts, boxed text, cached blocks.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-letters-layout-private.h belongs to the core and its tests: include sesame.h"
#endif

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

/* No text is ever cut: one that does not fit its box at its font's size
 * in the lines allowed is set smaller, down to SESAME_LETTER_MIN_SIZE,
 * and takes more lines if it must. */
typedef enum
{
  TEXT_LINE      = 0,       /* one line */
  TEXT_WRAP      = 1 << 0,  /* wrapped, up to max_lines */
  TEXT_RIGHT     = 1 << 1,
  TEXT_CENTER    = 1 << 2,
  TEXT_JUSTIFY   = 1 << 3,
} SesameLetterTextFlags;

/* The smallest sizes, in points, that stay legible on a laser printer:
 * for text, and for a login or a password, which must be read character
 * by character. */
#define SESAME_LETTER_MIN_SIZE            6.0
#define SESAME_LETTER_MIN_CREDENTIAL_SIZE 8.0

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
double       _sesame_letter_measure_text     (SesameLetterLayout     *self,
                                              const char             *text,
                                              SesameLetterFont        font,
                                              SesameLetterTextFlags   flags,
                                              int                     max_lines,
                                              double                  width);
double       _sesame_letter_draw_credential  (SesameLetterLayout     *self,
                                              cairo_t                *cr,
                                              const char             *text,
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
