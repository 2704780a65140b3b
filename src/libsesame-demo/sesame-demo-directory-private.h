/* sesame-demo-directory-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model behind the demo directory: an academy of establishments, each
 * built on its own from the seed (so that a file of any kind can be written
 * without holding the whole academy in memory), and the tables of names,
 * places and subjects it draws from.
 */
#pragma once

#if !defined (SESAME_COMPILATION)
# error "sesame-demo-directory-private.h belongs to the core and its tests: include sesame.h"
#endif

#include "sesame-demo-directory.h"
#include "sesame-error.h"

G_BEGIN_DECLS

/* Key ranges of the generated directory (7-digit directory keys). */
#define DEMO_PUPIL_KEY_BASE   2600000u
#define DEMO_PARENT_KEY_BASE  4000000u
#define DEMO_STAFF_KEY_BASE   8000000u
#define DEMO_JOINTURE_BASE    51000u
#define DEMO_MAX_PUPILS       1000000u
#define DEMO_MAX_SCHOOLS      10000u

/* Relationship codes of ENTElevePersRelEleve (the newer nomenclature). */
#define DEMO_REL_MOTHER 10
#define DEMO_REL_FATHER 20
#define DEMO_REL_FAMILY 39
#define DEMO_REL_TUTOR  50

typedef struct
{
  const char *aaf;          /* as the directory writes it: SAINT-MARTIN-D'HERES */
  const char *postal_code;
  guint8      department;   /* index into the academy's departments */
} DemoCity;

typedef enum
{
  DEMO_TEACH_CLASS,         /* the whole class */
  DEMO_TEACH_LV2,           /* second-language groups */
  DEMO_TEACH_OPTION,        /* an optional group (Latin) */
} DemoTeaching;

typedef struct
{
  const char  *code;        /* the subject's code in MatiereEducNat */
  const char  *label;
  const char  *discipline;  /* the teacher's discipline code */
  const char  *discipline_label;
  const char  *category;    /* ENTAuxEnsCategoDiscipline */
  guint8       classes_per_teacher;
  DemoTeaching teaching;
  guint8       levels;      /* bit mask of DemoLevel indices */
} DemoSubject;

typedef struct
{
  const char *compact;      /* class code stem: "6" → 6A, "2NDE" → 2NDE1 */
  const char *spaced;       /* "6e " → "6e A", "Tle G" → "Tle G1" */
  const char *mef;
  const char *mef_label;
  guint8      age;          /* at the start of the school year */
  gboolean    lycee;
} DemoLevel;

typedef struct
{
  const char * const *items;
  guint               n_items;
} DemoList;

typedef struct
{
  DemoList last_names;
  DemoList girls;           /* pupils' generation */
  DemoList boys;
  DemoList women;           /* parents' and staff's generation */
  DemoList men;
  DemoList streets;
  DemoList residences;
  DemoList patrons;         /* names of establishments */
  DemoList regimes;
  const DemoCity    *cities;
  guint              n_cities;
  const DemoCity    *abroad;        /* Swiss towns near Haute-Savoie */
  guint              n_abroad;
  const char * const *departments;   /* "074" … */
  guint              n_departments;
  const DemoSubject *subjects;
  guint              n_subjects;
  const DemoSubject *extra_subjects; /* in the nomenclature, never taught here */
  guint              n_extra_subjects;
  const DemoLevel   *levels;
  guint              n_levels;
} DemoTables;

const DemoTables *_sesame_demo_tables (void);

/* Uniform in [0, n) from a seeded generator. */
static inline guint
demo_pick (GRand *rand,
           guint  n)
{
  return (guint) g_rand_int_range (rand, 0, (gint32) n);
}

/* Skewed towards the head of a list, where common names are: the first
 * item comes about 1/(0.35 n) of the time, 4.7 times as often as the last. */
static inline guint
demo_pick_skewed (GRand *rand,
                  guint  n)
{
  double u = g_rand_double (rand);
  guint i = (guint) (n * u * (0.35 + 0.65 * u));

  return MIN (i, n - 1);
}

static inline const char *
demo_list_pick (GRand          *rand,
                const DemoList *list)
{
  return list->items[demo_pick (rand, list->n_items)];
}

/* A postal address; parents of one family usually share theirs. */
typedef struct
{
  guint16     number;
  const char *street;
  const char *residence;    /* NULL: a one-line address */
  guint16     flat;
  guint8      lines;        /* 1 or 4 */
  guint8      city;         /* index into the tables' cities, or G_MAXUINT8 abroad */
  guint8      abroad;       /* index into the tables' abroad, or G_MAXUINT8 */
} DemoAddress;

typedef struct
{
  guint32      key;
  const char  *first;
  const char  *last;        /* usage name */
  const char  *birth_last;  /* ENTPersonNomPatro */
  guint8       woman;
  guint8       relationship;
  guint8       legal;
  guint8       financial;
  guint8       contact;
  guint8       payment;
  guint8       mail_style;  /* 0: no address */
  guint16      mail_number;
  const char  *mail_first;  /* the names the address is made of: a couple */
  const char  *mail_last;   /* sometimes shares one address */
  guint32      mobile;      /* 0: none; else the last digits of a fictional number */
  guint32      home;
  guint32      work;
  guint8       owned;       /* written by this establishment in academy-wide sets */
  DemoAddress  address;
} DemoParent;

typedef struct
{
  guint   first_parent;     /* index into the school's parents */
  guint8  n_parents;
  const char *last;         /* the children's last name */
  const char *last2;        /* a double name's second part, or NULL */
} DemoFamily;

typedef struct
{
  guint32     key;
  const char *first;
  const char *other_first;  /* ENTPersonAutresPrenoms, or NULL */
  const char *last;
  const char *last2;
  guint8      girl;
  guint8      level;
  guint8      birth_day;
  guint8      birth_month;
  guint16     birth_year;
  guint16     klass;        /* index into the school's classes */
  guint16     groups[3];
  guint8      n_groups;
  guint8      regime;
  guint8      scholarship;
  guint8      transport;
  guint8      repeat_parent; /* lists one guardian twice, as real exports do */
  guint32     family;
  guint32     ine;
} DemoPupil;

typedef struct
{
  char    code[16];
  guint8  level;
  guint16 n_pupils;
} DemoClass;

typedef struct
{
  char    code[24];
  guint8  level;
  gint8   subject;          /* -1: a half-class group */
} DemoGroup;

typedef enum
{
  DEMO_FUNCTION_DIR,
  DEMO_FUNCTION_EDU,
  DEMO_FUNCTION_DOC,
  DEMO_FUNCTION_ADF,
  DEMO_FUNCTION_ENS,
} DemoFunction;

typedef struct
{
  guint32       key;
  const char   *first;
  const char   *last;
  guint8        woman;
  guint8        has_mail;
  guint8        birth_day;
  guint8        birth_month;
  guint16       birth_year;
  DemoFunction  function;
  guint8        subject;    /* index into the tables' subjects */
  gint16        principal;  /* class led as main teacher, or -1 */
  GArray       *classes;    /* guint16 class indices */
  GArray       *groups;     /* guint16 group indices */
} DemoStaff;

typedef struct
{
  guint32     seed;
  guint       n_schools;
  guint       n_pupils;
  guint       start_year;   /* the school year's first year */
  char        date[9];      /* YYYYMMDD */
  guint      *school_pupils;
  guint      *pupil_offset;
} DemoAcademy;

typedef struct
{
  guint       index;
  guint32     jointure;
  char        uai[9];
  char       *name;
  char       *street;
  guint8      city;
  gboolean    lycee;
  gboolean    spaced_codes;
  GArray     *classes;      /* DemoClass */
  GArray     *groups;       /* DemoGroup */
  GArray     *families;     /* DemoFamily */
  GArray     *parents;      /* DemoParent */
  GArray     *pupils;       /* DemoPupil */
  GArray     *staff;        /* DemoStaff */
} DemoSchool;

DemoAcademy *_sesame_demo_academy_new   (guint32      seed,
                                         guint        n_schools,
                                         guint        n_pupils,
                                         const char  *date);
void         _sesame_demo_academy_free  (DemoAcademy *academy);
DemoSchool  *_sesame_demo_school_build  (const DemoAcademy *academy,
                                         guint        index);
void         _sesame_demo_school_free   (DemoSchool  *school);

/* The check letter of a UAI: the 7 digits modulo 23, in an alphabet
 * without I, O and Q. */
char         _sesame_demo_uai_letter    (const char  *digits);

/* Lower-case ASCII for email addresses: "Hélène" → "helene". */
char        *_sesame_demo_ascii_word    (const char  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoAcademy, _sesame_demo_academy_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoSchool, _sesame_demo_school_free)

G_END_DECLS
