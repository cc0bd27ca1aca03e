// A seeded pseudo-random source: the same seed gives the same county, run after run. No Math.random.

/** sfc32 (Small Fast Counter), seeded through splitmix32: fast, well spread, 32-bit state words. */
export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    let s = seed >>> 0
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    for (let i = 0; i < 12; i++) this.float()
  }

  /** A float in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return (t >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<A>(items: ReadonlyArray<A>): A {
    return items[Math.floor(this.float() * items.length)]!
  }

  /** One of `items`, each as likely as its weight. */
  weighted<A>(items: ReadonlyArray<readonly [A, number]>): A {
    const total = items.reduce((n, [, w]) => n + w, 0)
    let x = this.float() * total
    for (const [item, w] of items) {
      x -= w
      if (x < 0) return item
    }
    return items[items.length - 1]![0]
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<A>(items: ReadonlyArray<A>): Array<A> {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1))
      const t = out[i]!
      out[i] = out[j]!
      out[j] = t
    }
    return out
  }

  /** `n` distinct items (all of them when there are fewer). */
  sample<A>(items: ReadonlyArray<A>, n: number): Array<A> {
    return this.shuffle(items).slice(0, Math.max(0, n))
  }
}

/** Splits `total` into `parts` positive whole numbers near `weights` (largest remainders). */
export const apportion = (total: number, weights: ReadonlyArray<number>): Array<number> => {
  const sum = weights.reduce((n, w) => n + w, 0)
  const exact = weights.map((w) => (total * w) / sum)
  const out = exact.map(Math.floor)
  let left = total - out.reduce((n, x) => n + x, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]![1]]! += 1
  return out
}

// ---- names ---------------------------------------------------------------------------------------

const surnames = [..."陈李黄张梁罗林邓何刘欧曾莫谭冯朱吴周邱潘廖杨赖温钟骆严卢徐叶"]
const elderChars = [..."伯叔国华明强福贵荣昌德桂英秀兰凤金娣妹娇才发水生"]
const adultChars = [..."建伟志文秀英玉兰芳梅凤金春秋丽娟敏俊杰海军平红燕霞勇"]
const childChars = [..."子梓欣怡晨佳嘉琪浩宇轩涵睿一诺雨思彤博文泽"]

export const personName = (random: Random, generation: "elder" | "adult" | "child", surname?: string): string => {
  const family = surname ?? random.pick(surnames)
  const chars = generation === "elder" ? elderChars : generation === "adult" ? adultChars : childChars
  const given = random.chance(generation === "child" ? 0.85 : 0.6)
    ? random.pick(chars) + random.pick(chars)
    : random.pick(chars)
  return family + given
}

const villageHeads = [..."石龙新东西南北大小上下水高白黄青竹松桥沙"]
const villageTails = ["塘", "坑", "岭", "头", "寨", "坪", "田", "洞", "湾", "岗", "口", "山", "江", "源", "陂"]

/** Village names, each once: 石塘村, 龙坪村… */
export const villageNames = (random: Random, n: number, taken: Set<string>): Array<string> => {
  const out: Array<string> = []
  while (out.length < n) {
    const name = `${random.pick(villageHeads)}${random.pick(villageTails)}村`
    if (taken.has(name)) continue
    taken.add(name)
    out.push(name)
  }
  return out
}
