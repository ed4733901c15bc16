import { describe, expect, it } from 'vitest'
import { can, isAllowedLink } from '../src/index.js'

describe('the role matrix', () => {
  it('lets only owners and drafters edit the text', () => {
    expect(can('owner', 'edit')).toBe(true)
    expect(can('drafter', 'edit')).toBe(true)
    expect(can('reviewer', 'edit')).toBe(false)
    expect(can('clerk', 'edit')).toBe(false)
    expect(can('viewer', 'edit')).toBe(false)
  })

  it('lets everyone but viewers comment', () => {
    expect(can('reviewer', 'comment')).toBe(true)
    expect(can('clerk', 'comment')).toBe(true)
    expect(can('viewer', 'comment')).toBe(false)
  })

  it('lets only owners manage members', () => {
    expect(can('owner', 'manageMembers')).toBe(true)
    expect(can('drafter', 'manageMembers')).toBe(false)
  })

  it('freezes the text of an archived document, even for its owner', () => {
    expect(can('owner', 'edit', 'archived')).toBe(false)
    expect(can('owner', 'read', 'archived')).toBe(true)
    expect(can('owner', 'manageDocument', 'archived')).toBe(true)
  })

  it('freezes a Final for everyone; every member may download it; only an owner reopens it', () => {
    for (const role of ['owner', 'drafter', 'reviewer', 'clerk', 'viewer'] as const) {
      expect(can(role, 'edit', 'final')).toBe(false)
      expect(can(role, 'manageDocument', 'final')).toBe(false)
      expect(can(role, 'finalize', 'final')).toBe(false)
      expect(can(role, 'export', 'final')).toBe(true)
      expect(can(role, 'read', 'final')).toBe(true)
      expect(can(role, 'reopen', 'final')).toBe(role === 'owner')
      expect(can(role, 'reopen', 'active')).toBe(false)
    }
    expect(can('reviewer', 'export')).toBe(false)
    expect(can('viewer', 'export')).toBe(false)
    expect(can('clerk', 'export')).toBe(true)
    expect(can('clerk', 'finalize')).toBe(true)
    expect(can('drafter', 'finalize')).toBe(false)
    expect(can('reviewer', 'comment', 'final')).toBe(true)
    expect(can('viewer', 'comment', 'final')).toBe(false)
  })
})

describe('version history', () => {
  it('shows history to every member; drafters, clerks and owners save versions; drafters and owners restore', () => {
    for (const role of ['owner', 'drafter', 'reviewer', 'clerk', 'viewer'] as const) {
      expect(can(role, 'viewHistory')).toBe(true)
      expect(can(role, 'viewHistory', 'final')).toBe(true)
      expect(can(role, 'saveVersion')).toBe(['owner', 'drafter', 'clerk'].includes(role))
      expect(can(role, 'restoreVersion')).toBe(['owner', 'drafter'].includes(role))
      expect(can(role, 'restoreVersion', 'final')).toBe(false)
      expect(can(role, 'saveVersion', 'archived')).toBe(false)
    }
  })
})

describe('links', () => {
  it('allows web and mail links only', () => {
    expect(isAllowedLink('https://dpsk12.org')).toBe(true)
    expect(isAllowedLink('http://example.org/a?b=c')).toBe(true)
    expect(isAllowedLink('mailto:clerk@example.org')).toBe(true)
    expect(isAllowedLink('javascript:alert(1)')).toBe(false)
    expect(isAllowedLink('JAVASCRIPT:alert(1)')).toBe(false)
    expect(isAllowedLink('data:text/html,<script>')).toBe(false)
    expect(isAllowedLink('file:///etc/passwd')).toBe(false)
    expect(isAllowedLink('not a url')).toBe(false)
  })
})
