/* metrics.c - detection metrics for eval/run.sh.
 *
 * usage: metrics [--fpr F]
 *
 * Reads lines "SCORE LABEL [FLAG [BENIGN]]" (blank- or tab-separated) from
 * standard input: SCORE a number, LABEL 1 for a positive (malicious) record
 * and 0 for a negative one, FLAG 1 when the detector raised an alert on the
 * record (its own threshold), 0 or absent otherwise, BENIGN 1 when the
 * record is a reference benign one (labelled Benign), 0 when not; absent, it
 * is 1 for every negative. Writes one tab-separated line:
 *
 *   n  positives  negatives  roc_auc  average_precision  tpr  fpr
 *
 * and with --fpr F (the rate the detector's threshold was calibrated for)
 * five more columns, the operating point:
 *
 *   benign  fpr_benign  tpr_ideal  threshold_ideal  tpr_ratio
 *
 * benign: the number of BENIGN records; fpr_benign: the share of them that
 * are flagged; threshold_ideal: the lowest threshold "score > t" that flags
 * at most floor(F * benign) of them, that is the (floor(F * benign) + 1)-th
 * highest BENIGN score (the benign records' own 1 - F quantile); tpr_ideal:
 * the share of positives scoring above it, the best TPR any threshold can
 * reach on this input at a benign false-positive rate of at most F;
 * tpr_ratio: tpr / tpr_ideal, how much of that the detector's own threshold
 * gets.
 *
 * "-" stands for a value that is undefined (AUC without both classes, AP and
 * TPR without positives, FPR without negatives, fpr_benign and the ideal
 * threshold without BENIGN records, tpr_ideal without either, tpr_ratio where
 * tpr_ideal is 0 or undefined).
 *
 * ROC-AUC is the Mann-Whitney statistic: the probability that a random
 * positive scores higher than a random negative, a tie counting one half
 * (tied scores get the average of their ranks).
 * Average precision is scikit-learn's: sum over distinct thresholds t, from
 * the highest score down, of (R(t) - R(previous t)) * P(t), where P and R are
 * the precision and recall of "score >= t"; tied scores form one threshold.
 *
 * Exit status: 0 ok, 2 unreadable input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { double s; int y; int flag; int benign; } rec;

static int by_score(const void *a, const void *b)
{
	double x = ((const rec *)a)->s, y = ((const rec *)b)->s;
	return (x > y) - (x < y);
}

static void put(double v, int defined, const char *end)
{
	if (defined)
		printf("%.17g%s", v, end);
	else
		printf("-%s", end);
}

int main(int argc, char **argv)
{
	double opfpr = -1;	/* --fpr: <0 when not given */
	if (argc == 3 && strcmp(argv[1], "--fpr") == 0) {
		char *e;
		opfpr = strtod(argv[2], &e);
		if (e == argv[2] || *e || !(opfpr >= 0 && opfpr < 1)) {
			fprintf(stderr, "metrics: --fpr wants a number in [0, 1)\n");
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: metrics [--fpr F] < scores\n");
		return 2;
	}
	rec *r = NULL;
	size_t n = 0, cap = 0;
	long lineno = 0;
	char line[4096];

	while (fgets(line, sizeof line, stdin)) {
		char *p = line, *e;
		long y, f = 0, b = -1;
		lineno++;
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			continue;
		double s = strtod(p, &e);
		if (e == p || s != s) {
			fprintf(stderr, "metrics: line %ld: bad score\n", lineno);
			return 2;
		}
		y = strtol(e, &p, 10);
		if (p == e || (y != 0 && y != 1)) {
			fprintf(stderr, "metrics: line %ld: label must be 0 or 1\n", lineno);
			return 2;
		}
		f = strtol(p, &e, 10);
		if (e != p && f != 0 && f != 1) {
			fprintf(stderr, "metrics: line %ld: flag must be 0 or 1\n", lineno);
			return 2;
		}
		if (e != p) {
			b = strtol(e, &p, 10);
			if (p == e)
				b = -1;
			else if (b != 0 && b != 1) {
				fprintf(stderr, "metrics: line %ld: benign must be 0 or 1\n", lineno);
				return 2;
			}
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			r = realloc(r, cap * sizeof *r);
			if (!r) {
				perror("metrics");
				return 2;
			}
		}
		r[n].s = s;
		r[n].y = (int)y;
		r[n].flag = (int)f;
		r[n].benign = b >= 0 ? (int)b : !y;
		n++;
	}
	if (ferror(stdin)) {
		perror("metrics: stdin");
		return 2;
	}

	qsort(r, n, sizeof *r, by_score);	/* ascending */

	double pos = 0, neg = 0, tp_flag = 0, fp_flag = 0;
	for (size_t i = 0; i < n; i++) {
		if (r[i].y) {
			pos++;
			tp_flag += r[i].flag;
		} else {
			neg++;
			fp_flag += r[i].flag;
		}
	}

	/* Mann-Whitney: ranks 1..n ascending, a tie group shares its mean rank. */
	double rank_sum = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		double npos = 0;
		while (j < n && r[j].s == r[i].s)
			npos += r[j++].y;
		rank_sum += npos * ((double)(i + 1) + (double)j) / 2;
		i = j;
	}
	double auc = (rank_sum - pos * (pos + 1) / 2) / (pos * neg);

	/* Average precision: walk the scores downwards, one threshold per tie group. */
	double ap = 0, tp = 0, fp = 0, recall_prev = 0;
	for (size_t j = n; j > 0;) {
		size_t i = j;
		while (i > 0 && r[i - 1].s == r[j - 1].s) {
			i--;
			if (r[i].y)
				tp++;
			else
				fp++;
		}
		double recall = tp / pos;
		ap += (recall - recall_prev) * (tp / (tp + fp));
		recall_prev = recall;
		j = i;
	}

	printf("%zu\t%.0f\t%.0f\t", n, pos, neg);
	put(auc, pos > 0 && neg > 0, "\t");
	put(ap, pos > 0, "\t");
	put(tp_flag / pos, pos > 0, "\t");
	put(fp_flag / neg, neg > 0, opfpr < 0 ? "\n" : "\t");
	if (opfpr >= 0) {
		/* the operating point: the benign records' own (1 - F) quantile */
		double nben = 0, fp_ben = 0;
		for (size_t i = 0; i < n; i++)
			if (r[i].benign) {
				nben++;
				fp_ben += r[i].flag;
			}
		/* floor, and 0.29 * 100 is 28.999...: a margin far below one record */
		double allowed = (double)(long)(opfpr * nben + 1e-9);
		double above = 0, thr = 0;	/* benign scores seen, from the top */
		for (size_t j = n; j > 0; j--)
			if (r[j - 1].benign && ++above == allowed + 1) {
				thr = r[j - 1].s;
				break;
			}
		double tp_ideal = 0;
		for (size_t i = 0; i < n; i++)
			tp_ideal += r[i].y && r[i].s > thr;
		double ti = tp_ideal / pos;
		printf("%.0f\t", nben);
		put(fp_ben / nben, nben > 0, "\t");
		put(ti, pos > 0 && nben > 0, "\t");
		put(thr, nben > 0, "\t");
		put(tp_flag / pos / ti, pos > 0 && nben > 0 && ti > 0, "\n");
	}
	free(r);
	return 0;
}
