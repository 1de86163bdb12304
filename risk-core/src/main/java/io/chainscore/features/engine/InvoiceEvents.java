package io.chainscore.features.engine;

import io.chainscore.trade.TradeRules;
import java.util.Arrays;

/**
 * The credit notes and disputes known at the as-of date D, by invoice: what a reader joins onto
 * the invoices it feeds the engine ({@link InvoiceColumns#returnedAmount} = the credit notes booked
 * on or before D, {@link InvoiceColumns#disputed} = a dispute opened on or before D). Events
 * booked after D are dropped as they are added, so nothing after D reaches a feature.
 *
 * <p>An event names its invoice and its supplier; it applies to the invoice with that id of that
 * supplier. Several credit notes of one invoice are summed in the order added. Events that no
 * invoice claimed by the end are the caller's to report: {@link #anyUnclaimed} says whether there
 * are any (nearly never), and the caller then goes through its events again, asking {@link
 * #unclaimed} of each and quarantining {@link #unclaimedReport}. The events themselves are not
 * kept, only what the join needs per invoice.
 *
 * <p>Memory: one entry per event known at D (credit notes and disputes: a few percent of the
 * invoices), in flat arrays: the ids' characters in one shared array, no object per entry or
 * event; once the lookups start, 21 bytes per entry plus its id's characters. Adding an event
 * appends it; the events of one invoice are merged into its first when the lookups start (below),
 * the later ones left unreferenced. (Until 2026-12-04 an open-addressing table of the entries
 * merged them as they were added: a random probe into a table of 4 slots per event, 134 MB at a
 * million suppliers, about 230 ns per event and 3 of the nightly job's seconds on its main
 * thread.) A map of String keys to entry objects holding each event's {@link
 * BadRecord} took about 600 MB for the 2.1M invoices with events of a 200,000-supplier portfolio
 * (class histogram). Keeping each event's table, row and record id for the report, and each
 * entry's supplier id, took as much again as the entries (about 1.3 GB at a million suppliers,
 * more than half the 2 GB heap the nightly job is given): they are read again from the event
 * tables in the rare run that has unclaimed events instead. A lookup hashes the id and compares
 * the characters of the entry it finds, so it is exact.
 *
 * <p>Lookups go through the entries grouped by supplier (built at the first lookup, when the
 * events are in: a counting sort by supplier, each supplier's entries ordered by id hash and
 * then by the order added, the events of one id merged into the first in that order): an invoice is looked up among its own
 * supplier's entries only, behind a 64-bit mask of their id hashes. A reader streams invoices
 * supplier by supplier, so the mask and the entries it reads stay in cache for the whole run of a
 * supplier; the global filter and table this replaced were read at random for every invoice
 * (about 9 of the 17 CPU-seconds of the invoice stage at 200,000 suppliers / 50M invoices).
 *
 * <p>Thread safety: none; one reader thread fills and queries it.
 */
public final class InvoiceEvents {
  private static final int NO_ENTRY = -1;
  private static final byte DISPUTED = 1;
  private static final byte CLAIMED = 2;
  /** An event merged into an earlier one of its invoice: in no index, claimed by no invoice. */
  private static final byte MERGED = 4;

  private final int asOfDay;

  /**
   * The characters of the entries' invoice ids, end to end in entry order (entry e's id runs from
   * {@code idStart[e]} to the next entry's start, or to {@code charCount} for the last): one byte
   * each ({@code narrow}, Latin-1) while every id kept is Latin-1, which ids nearly always are, else
   * two ({@code wide}, UTF-16, the narrow ones copied over at the first other id; {@code narrow} is
   * then null).
   */
  private byte[] narrow = new byte[1 << 10];
  private char[] wide;
  private int charCount;

  /**
   * Per entry (one per event added): its id's start in the characters, credited amount and flags;
   * its supplier index and id hash while events are added (null once the supplier index holds
   * them, restored from it should an event be added after a lookup).
   */
  private int entryCount;
  private int[] supplier;
  private int[] idStart;
  private int[] idHash;
  private double[] credited;
  private byte[] flags;

  /**
   * The entries by supplier, built at the first lookup after an addition (null until then):
   * supplier s's entries are {@code entryBySupplier[supplierStart[s] .. supplierStart[s + 1])},
   * ordered by id hash then entry, with their hashes beside them in {@code hashBySupplier}; bit
   * {@code spread(hash) & 63} of {@code supplierMask[s]} is set for each, so an invoice whose bit
   * is clear (most of them) has no entry and costs one load of a word its supplier's run keeps in
   * cache. Suppliers past the last one with an entry are not in the arrays.
   */
  private int[] supplierStart;
  /** Whether the entries are indexed (and each invoice's merged): false until the first lookup after an addition. */
  private boolean indexed;
  private long[] supplierMask;
  private int[] entryBySupplier;
  private int[] hashBySupplier;

  /** Supplier ranges up to this size are searched from the front; longer ones by bisection. */
  private static final int SCAN = 8;

  /** Events known at the end of epoch day {@code asOfDay}. */
  public InvoiceEvents(int asOfDay) {
    this(asOfDay, 0);
  }

  /**
   * As {@link #InvoiceEvents(int)}, sized for about {@code expectedEvents} events (the rows of the
   * event tables, a hint; 0 or less when unknown), so that its arrays are not copied to larger ones
   * as they fill: with millions of events each doubling held the old array and the new one at once.
   */
  public InvoiceEvents(int asOfDay, long expectedEvents) {
    this.asOfDay = asOfDay;
    // a hint is trusted only while its arrays take at most a quarter of the heap (about 25 bytes
    // per event): a footer that claims more rows than that cannot make the run run out of heap
    allocate(expectedEvents > 16 && expectedEvents * 25 <= Runtime.getRuntime().maxMemory() / 4
        ? (int) expectedEvents : 16);
  }

  /** Empty arrays for {@code n} entries. */
  private void allocate(int n) {
    supplier = new int[n];
    idStart = new int[n];
    idHash = new int[n];
    credited = new double[n];
    flags = new byte[n];
  }

  /** The rule of a credit note's amount (a finite amount above zero), or null when it holds. */
  public static TradeRules.Violation creditNoteAmount(double amount) {
    return amount > 0 && amount <= TradeRules.MAX_AMOUNT ? null : new TradeRules.Violation(TradeRules.AMOUNT,
        amount + " must be a finite amount in (0, " + TradeRules.MAX_AMOUNT + "]");
  }

  /**
   * The rule between a dispute's dates (resolved, when given, not before opened), or null when it
   * holds; {@code resolvedDay} is {@code Integer.MIN_VALUE} when the dispute is open.
   */
  public static TradeRules.Violation disputeDates(int openedDay, int resolvedDay) {
    return resolvedDay == Integer.MIN_VALUE || resolvedDay >= openedDay ? null : new TradeRules.Violation(
        "resolved_date", Days.describe(resolvedDay) + " is before opened_date " + Days.describe(openedDay));
  }

  /** Whether an event dated {@code day} (booked or opened) is known at D: the one rule of what the join keeps. */
  private boolean known(int day) {
    return day <= asOfDay;
  }

  /**
   * Adds a credit note of {@code amount} against invoice {@code invoiceId} of supplier index {@code
   * supplier}, booked on {@code bookingDay}; ignored when booked after D.
   */
  public void creditNote(String invoiceId, int supplier, int bookingDay, double amount) {
    if (!known(bookingDay)) {
      return;
    }
    int e = entry(invoiceId, supplier);
    credited[e] += amount;
  }

  /** Adds a dispute of invoice {@code invoiceId} of supplier {@code supplier} opened on {@code openedDay}; ignored when opened after D. */
  public void dispute(String invoiceId, int supplier, int openedDay) {
    if (!known(openedDay)) {
      return;
    }
    int e = entry(invoiceId, supplier);
    flags[e] |= DISPUTED;
  }

  /**
   * As {@link #creditNote(String, int, int, double)}, the invoice id given as the ASCII bytes
   * {@code text[start .. start + length)} (each byte one character) and its {@link
   * String#hashCode()}: a reader that keeps ids as bytes adds events without a String per event.
   */
  public void creditNote(byte[] text, int start, int length, int idHashCode, int supplier, int bookingDay,
      double amount) {
    if (!known(bookingDay)) {
      return;
    }
    int e = asciiEntry(text, start, length, idHashCode, supplier);
    credited[e] += amount;
  }

  /** As {@link #dispute(String, int, int)}, the invoice id given as ASCII bytes and its hash (as {@link #creditNote(byte[], int, int, int, int, int, double)}). */
  public void dispute(byte[] text, int start, int length, int idHashCode, int supplier, int openedDay) {
    if (!known(openedDay)) {
      return;
    }
    int e = asciiEntry(text, start, length, idHashCode, supplier);
    flags[e] |= DISPUTED;
  }

  /** Whether there are no events at all. */
  public boolean isEmpty() {
    return entryCount == 0;
  }

  /**
   * Whether an invoice of supplier index {@code supplier} whose id has {@link String#hashCode()}
   * {@code idHashCode} may have events ({@link #fill} needs to be called); when false, it has none:
   * its {@link InvoiceColumns#returnedAmount} is 0 and it is not {@link InvoiceColumns#disputed}.
   * Lets a reader that holds the id as bytes skip building its String for most invoices.
   */
  public boolean mayHaveEvents(int idHashCode, int supplier) {
    if (!indexed) {
      if (entryCount == 0) {
        return false;
      }
      buildIndex();
    }
    return supplier >= 0 && supplier < supplierMask.length && (supplierMask[supplier] >>> spread(idHashCode) & 1) != 0;
  }

  /**
   * Where the entries of {@code supplier} with id hash {@code hash} start in {@code
   * entryBySupplier}, or -1 when it has none; they run while {@code hashBySupplier} holds the hash.
   */
  private int firstWithHash(int hash, int supplier) {
    if (!mayHaveEvents(hash, supplier)) {
      return -1;
    }
    int lo = supplierStart[supplier];
    int end = supplierStart[supplier + 1];
    int[] hashes = hashBySupplier;
    if (end - lo <= SCAN) {
      for (int k = lo; k < end; k++) {
        if (hashes[k] == hash) {
          return k;
        }
      }
      return -1;
    }
    int hi = end;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (hashes[mid] < hash) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < end && hashes[lo] == hash ? lo : -1;
  }

  /** The entry of invoice {@code invoiceId} of {@code supplier}, or NO_ENTRY: a lookup, never an addition. */
  private int find(String invoiceId, int supplier) {
    int hash = invoiceId.hashCode();
    int k = firstWithHash(hash, supplier);
    if (k >= 0) {
      for (int end = supplierStart[supplier + 1]; k < end && hashBySupplier[k] == hash; k++) {
        if (sameId(entryBySupplier[k], invoiceId)) {
          return entryBySupplier[k];
        }
      }
    }
    return NO_ENTRY;
  }

  /**
   * Sets row {@code row} of {@code chunk} (invoice {@code invoiceId} of supplier {@code supplier})
   * to the credit notes and dispute known at D, and marks its events claimed.
   */
  public void fill(InvoiceColumns chunk, int row, String invoiceId, int supplier) {
    set(chunk, row, find(invoiceId, supplier));
  }

  /**
   * As {@link #fill(InvoiceColumns, int, String, int)}, the invoice id given as the ASCII bytes
   * {@code text[start .. start + length)} (each byte one character) and its {@link
   * String#hashCode()}: a reader that keeps ids as bytes joins the events without building a
   * String per invoice.
   */
  public void fill(InvoiceColumns chunk, int row, byte[] text, int start, int length, int idHashCode, int supplier) {
    int e = NO_ENTRY;
    int k = firstWithHash(idHashCode, supplier);
    if (k >= 0) {
      for (int end = supplierStart[supplier + 1]; k < end && hashBySupplier[k] == idHashCode; k++) {
        if (sameAsciiId(entryBySupplier[k], text, start, length)) {
          e = entryBySupplier[k];
          break;
        }
      }
    }
    set(chunk, row, e);
  }

  /** Sets the row to entry {@code e}'s events (none for NO_ENTRY) and marks them claimed. */
  private void set(InvoiceColumns chunk, int row, int e) {
    if (e == NO_ENTRY) {
      chunk.returnedAmount[row] = 0.0;
      chunk.disputed[row] = false;
      return;
    }
    flags[e] |= CLAIMED;
    chunk.returnedAmount[row] = credited[e];
    chunk.disputed[row] = (flags[e] & DISPUTED) != 0;
  }

  /**
   * Marks every event unclaimed again, for a reader that joins the invoices a second time (its
   * first pass void): only the invoices of the pass that stands claim events.
   */
  public void forgetClaims() {
    for (int e = 0; e < entryCount; e++) {
      flags[e] &= ~CLAIMED;
    }
  }

  /** Whether some event was kept (known at D) that no invoice has claimed so far. */
  public boolean anyUnclaimed() {
    for (int e = 0; e < entryCount; e++) {
      if ((flags[e] & (CLAIMED | MERGED)) == 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the event of invoice {@code invoiceId} of supplier index {@code supplier} dated {@code
   * eventDay} (a credit note's booking day, a dispute's opening day), added earlier, was kept and
   * no invoice has claimed it: the caller then quarantines it with {@link #unclaimedReport}. False
   * for an event after D (never kept).
   */
  public boolean unclaimed(String invoiceId, int supplier, int eventDay) {
    if (!known(eventDay)) {
      return false;
    }
    int e = find(invoiceId, supplier);
    return e != NO_ENTRY && (flags[e] & CLAIMED) == 0;
  }

  /**
   * The quarantine record of an unclaimed event: row {@code row} of {@code table}, its record id,
   * field {@code invoice_id}, and why (no invoice of that id of its supplier).
   */
  public static BadRecord unclaimedReport(String table, long row, String recordId, String invoiceId,
      String supplierId) {
    return new BadRecord(table, row, recordId, TradeRules.INVOICE_ID,
        TradeRules.quoted(invoiceId) + " is not an invoice of supplier " + TradeRules.quoted(supplierId));
  }

  /** Where entry {@code e}'s id ends in the characters (the next entry's start). */
  private int idEnd(int e) {
    return e + 1 < entryCount ? idStart[e + 1] : charCount;
  }

  private boolean sameAsciiId(int e, byte[] text, int start, int length) {
    int at = idStart[e];
    if (idEnd(e) - at != length) {
      return false;
    }
    if (wide == null) {
      return Arrays.equals(narrow, at, at + length, text, start, start + length);
    }
    for (int k = 0; k < length; k++) {
      if (wide[at + k] != (char) (text[start + k] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private boolean sameId(int e, String invoiceId) {
    int start = idStart[e];
    int length = idEnd(e) - start;
    if (length != invoiceId.length()) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (charAt(start + k) != invoiceId.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** The kept character at {@code i}. */
  private char charAt(int i) {
    return wide != null ? wide[i] : (char) (narrow[i] & 0xff);
  }

  /**
   * Drops every entry once the join is done (after the unclaimed events are reported): with a
   * million suppliers they hold hundreds of megabytes that the rest of the run needs. Afterwards
   * this holds no events, as if new.
   */
  public void release() {
    allocate(16);
    entryCount = 0;
    narrow = new byte[1 << 10];
    wide = null;
    charCount = 0;
    dropIndex();
  }

  /** A new entry for an event of (invoice, supplier), merged with the invoice's others when the index is built. */
  private int entry(String invoiceId, int supplierIndex) {
    int e = newEntry(invoiceId, supplierIndex, invoiceId.hashCode());
    idStart[e] = keep(invoiceId);
    return e;
  }

  /** A new entry for an event of the invoice whose id is the ASCII bytes given, as {@link #entry}. */
  private int asciiEntry(byte[] text, int start, int length, int hash, int supplierIndex) {
    if (supplierIndex < 0) {
      throw new IllegalArgumentException("supplier index " + supplierIndex + " of invoice "
          + new String(text, start, length, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    int e = newEntry(null, supplierIndex, hash);
    int at = reserveChars(length);
    if (wide != null) {
      for (int k = 0; k < length; k++) {
        wide[at + k] = (char) (text[start + k] & 0xff);
      }
    } else {
      System.arraycopy(text, start, narrow, at, length);
    }
    idStart[e] = at;
    return e;
  }

  /** Appends an entry without its characters (the caller keeps them next). */
  private int newEntry(String invoiceId, int supplierIndex, int hash) {
    if (supplierIndex < 0) {
      throw new IllegalArgumentException("supplier index " + supplierIndex + " of invoice " + invoiceId);
    }
    if (indexed) {
      // an event after a lookup: the entries get back their suppliers and hashes, and the index
      // is built again (merging this one too) at the next lookup
      restoreFromIndex();
      dropIndex();
    }
    int e = entryCount;
    if (e == supplier.length) {
      int n = Math.max(16, 2 * e);
      supplier = Arrays.copyOf(supplier, n);
      idStart = Arrays.copyOf(idStart, n);
      idHash = Arrays.copyOf(idHash, n);
      credited = Arrays.copyOf(credited, n);
      flags = Arrays.copyOf(flags, n);
    }
    supplier[e] = supplierIndex;
    idHash[e] = hash;
    credited[e] = 0.0;
    flags[e] = 0;
    entryCount++;
    return e;
  }

  /** Appends the characters of {@code s}; returns where they start. */
  private int keep(String s) {
    int start = charCount;
    int length = s.length();
    if (wide == null) {
      for (int k = 0; k < length; k++) {
        if (s.charAt(k) > 0xff) {
          // the first id beyond Latin-1: every character two bytes from here on
          wide = new char[narrow.length];
          for (int i = 0; i < charCount; i++) {
            wide[i] = (char) (narrow[i] & 0xff);
          }
          narrow = null;
          break;
        }
      }
    }
    reserveChars(length);
    if (wide != null) {
      s.getChars(0, length, wide, start);
    } else {
      for (int k = 0; k < length; k++) {
        narrow[start + k] = (byte) s.charAt(k);
      }
    }
    return start;
  }

  /** Room for {@code length} more characters, counted in; returns where they start. */
  private int reserveChars(int length) {
    int start = charCount;
    int capacity = wide != null ? wide.length : narrow.length;
    if (capacity - start < length) {
      // by half again, not double: this is the largest array, and while it is copied both live
      long n = Math.max((long) start + length, capacity + (capacity >> 1) + 16L);
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("the event ids exceed 2^31 characters");
      }
      if (wide != null) {
        wide = Arrays.copyOf(wide, (int) n);
      } else {
        narrow = Arrays.copyOf(narrow, (int) n);
      }
    }
    charCount = start + length;
    return start;
  }

  private void dropIndex() {
    indexed = false;
    supplierStart = null;
    supplierMask = null;
    entryBySupplier = null;
    hashBySupplier = null;
  }

  /**
   * Groups the entries by supplier (a counting sort, stable), orders each supplier's by id hash
   * then entry, merges the entries of one invoice into its first (credits summed in the order
   * added, flags joined; the others marked {@link #MERGED} and left out), sets the suppliers'
   * masks, and drops what only adding needs: each entry's supplier and hash (the index holds both)
   * and the arrays' unused tails. From here on the entries are looked up, not added to.
   */
  private void buildIndex() {
    int n = entryCount;
    if (idStart.length > n) {
      // trimmed one at a time, so that at most one array is held twice
      idStart = Arrays.copyOf(idStart, n);
      credited = Arrays.copyOf(credited, n);
      flags = Arrays.copyOf(flags, n);
    }
    if (wide != null ? wide.length > charCount : narrow.length > charCount) {
      if (wide != null) {
        wide = Arrays.copyOf(wide, charCount);
      } else {
        narrow = Arrays.copyOf(narrow, charCount);
      }
    }
    int maxSupplier = -1;
    int live = 0;
    for (int e = 0; e < n; e++) {
      if ((flags[e] & MERGED) == 0) {
        maxSupplier = Math.max(maxSupplier, supplier[e]);
        live++;
      }
    }
    int[] start = new int[maxSupplier + 2];
    for (int e = 0; e < n; e++) {
      if ((flags[e] & MERGED) == 0) {
        start[supplier[e] + 1]++;
      }
    }
    for (int s = 0; s <= maxSupplier; s++) {
      start[s + 1] += start[s];
    }
    int[] next = Arrays.copyOf(start, maxSupplier + 1);
    int[] entries = new int[live];
    int[] hashes = new int[live];
    for (int e = 0; e < n; e++) {
      if ((flags[e] & MERGED) == 0) {
        int k = next[supplier[e]]++;
        entries[k] = e;
        hashes[k] = idHash[e];
      }
    }
    supplier = null;
    idHash = null;
    long[] mask = new long[maxSupplier + 1];
    int kept = 0;   // entries past the merged ones move down to here, supplier after supplier
    for (int s = 0; s <= maxSupplier; s++) {
      int from = start[s];
      int to = start[s + 1];
      sortByHash(entries, hashes, from, to);
      start[s] = kept;
      long m = 0;
      for (int run = from; run < to; ) {
        int runEnd = run + 1;
        while (runEnd < to && hashes[runEnd] == hashes[run]) {
          runEnd++;
        }
        // a run of one hash (one entry, nearly always): each entry merged into the first kept one
        // of its id, in the order added, or kept
        int runKept = kept;
        for (int k = run; k < runEnd; k++) {
          int e = entries[k];
          int into = -1;
          for (int j = runKept; j < kept && into < 0; j++) {
            if (sameIds(entries[j], e)) {
              into = entries[j];
            }
          }
          if (into >= 0) {
            credited[into] += credited[e];
            flags[into] |= (byte) (flags[e] & DISPUTED);
            flags[e] |= MERGED;
          } else {
            entries[kept] = e;
            hashes[kept] = hashes[k];
            kept++;
          }
        }
        m |= 1L << spread(hashes[run]);
        run = runEnd;
      }
      mask[s] = m;
    }
    start[maxSupplier + 1] = kept;
    supplierStart = start;
    supplierMask = mask;
    entryBySupplier = kept < live ? Arrays.copyOf(entries, kept) : entries;
    hashBySupplier = kept < live ? Arrays.copyOf(hashes, kept) : hashes;
    indexed = true;
  }

  /** Whether entries {@code a} and {@code b} have the same id. */
  private boolean sameIds(int a, int b) {
    int at = idStart[a];
    int bt = idStart[b];
    int length = idEnd(a) - at;
    if (idEnd(b) - bt != length) {
      return false;
    }
    if (wide == null) {
      return Arrays.equals(narrow, at, at + length, narrow, bt, bt + length);
    }
    return Arrays.equals(wide, at, at + length, wide, bt, bt + length);
  }

  /** Gives every entry back its supplier and hash from the index, for more additions after lookups. */
  private void restoreFromIndex() {
    int n = entryCount;
    supplier = new int[Math.max(16, n)];
    idHash = new int[supplier.length];
    idStart = Arrays.copyOf(idStart, supplier.length);
    credited = Arrays.copyOf(credited, supplier.length);
    flags = Arrays.copyOf(flags, supplier.length);
    // merged entries are in no supplier's range: they keep supplier 0 and hash 0, and stay out
    // of the next index (their flag says so)
    for (int s = 0; s + 1 < supplierStart.length; s++) {
      for (int k = supplierStart[s]; k < supplierStart[s + 1]; k++) {
        supplier[entryBySupplier[k]] = s;
        idHash[entryBySupplier[k]] = hashBySupplier[k];
      }
    }
  }

  /** Orders {@code [from, to)} of the two arrays by hash, then entry. */
  private static void sortByHash(int[] entries, int[] hashes, int from, int to) {
    if (to - from <= 32) {
      for (int i = from + 1; i < to; i++) {
        int e = entries[i];
        int h = hashes[i];
        int j = i - 1;
        while (j >= from && (hashes[j] > h || hashes[j] == h && entries[j] > e)) {
          entries[j + 1] = entries[j];
          hashes[j + 1] = hashes[j];
          j--;
        }
        entries[j + 1] = e;
        hashes[j + 1] = h;
      }
      return;
    }
    long[] packed = new long[to - from];
    for (int k = from; k < to; k++) {
      packed[k - from] = (long) hashes[k] << 32 | entries[k];
    }
    Arrays.sort(packed);
    for (int k = from; k < to; k++) {
      hashes[k] = (int) (packed[k - from] >> 32);
      entries[k] = (int) packed[k - from];
    }
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
